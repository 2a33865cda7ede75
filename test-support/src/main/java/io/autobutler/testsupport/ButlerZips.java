package io.autobutler.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Butler zips for tests, laid out as daf_butler's {@code retrieve_and_zip} writes them: the index member first
 * (deflated), then one member per artifact of the index (stored), with small made-up contents.
 */
public final class ButlerZips {

  /** daf_butler's {@code ZipIndex.index_name}. */
  public static final String INDEX_NAME = "_butler_zip_index.json";
  /** An LSSTCam raw zip's index in daf_butler's layout: exposure 2025061400123, detectors 94 and 95, with records. */
  public static final String LSSTCAM_RAWS = "lsstcam_raw_zip_index.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ButlerZips() {
  }

  /** A test index (copied from daf_butler's tests, or written in its layout) from the test resources. */
  public static String index(String resource) {
    try (InputStream in = ButlerZips.class.getResourceAsStream("/butler-zips/" + resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The artifact paths of an index, in order. */
  public static List<String> members(String index) {
    try {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = JSON.readTree(index).path("artifact_map").fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a zip with {@code index} and a member per artifact, plus {@code extra} members at the end. */
  public static Path write(Path zip, String index, Map<String, byte[]> extra) throws IOException {
    Map<String, byte[]> members = new LinkedHashMap<>();
    // A malformed index (for the tests of refusals) has no artifacts to write.
    List<String> artifacts;
    try {
      artifacts = members(index);
    } catch (UncheckedIOException e) {
      artifacts = List.of();
    }
    for (String name : artifacts) {
      members.put(name, ("content of " + name).getBytes(StandardCharsets.UTF_8));
    }
    members.putAll(extra);
    Files.createDirectories(zip.getParent());
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry(INDEX_NAME));
      out.write(index.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      for (Map.Entry<String, byte[]> member : members.entrySet()) {
        ZipEntry entry = new ZipEntry(member.getKey());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(member.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(member.getValue());
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(member.getValue());
        out.closeEntry();
      }
    }
    return zip;
  }

  public static Path write(Path zip, String index) throws IOException {
    return write(zip, index, Map.of());
  }

  /** An index with one JSON value replaced (a path of object keys), for malformed and conflicting variants. */
  public static String with(String index, String value, String... path) {
    try {
      JsonNode root = JSON.readTree(index);
      com.fasterxml.jackson.databind.node.ObjectNode parent = (com.fasterxml.jackson.databind.node.ObjectNode) root;
      for (int i = 0; i < path.length - 1; i++) {
        parent = (com.fasterxml.jackson.databind.node.ObjectNode) parent.get(path[i]);
      }
      parent.set(path[path.length - 1], JSON.readTree(value));
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A web server for a folder that honours {@code Range: bytes=a-b} and {@code bytes=-n} with 206 answers, as dCache's
   * WebDAV doors do, and counts the bytes it sends. A test double of an external system.
   */
  public static final class RangeServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private final HttpServer server;
    private final Path root;
    private final List<String> requests = new ArrayList<>();
    private long bytesSent;

    public RangeServer(Path root) throws IOException {
      this.root = root;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::handle);
      server.start();
    }

    /** {@code scheme://127.0.0.1:<port>/<path>}. */
    public URI uri(String scheme, String path) {
      return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/" + path);
    }

    /** The requests served, as {@code METHOD path Range}. */
    public synchronized List<String> requests() {
      return List.copyOf(requests);
    }

    public synchronized long bytesSent() {
      return bytesSent;
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String range = exchange.getRequestHeaders().getFirst("Range");
        synchronized (this) {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + range);
        }
        Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        long size = Files.size(file);
        long first = 0;
        long last = size - 1;
        int status = 200;
        if (range != null) {
          Matcher m = RANGE.matcher(range);
          if (!m.matches()) {
            exchange.sendResponseHeaders(400, -1);
            return;
          }
          if (m.group(1).isEmpty()) {
            first = Math.max(0, size - Long.parseLong(m.group(2)));
          } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
          }
          if (first >= size) {
            exchange.getResponseHeaders().add("Content-Range", "bytes */" + size);
            exchange.sendResponseHeaders(416, -1);
            return;
          }
          status = 206;
          exchange.getResponseHeaders().add("Content-Range", "bytes " + first + "-" + last + "/" + size);
        }
        byte[] body = new byte[(int) (last - first + 1)];
        try (var channel = java.nio.channels.FileChannel.open(file)) {
          channel.read(java.nio.ByteBuffer.wrap(body), first);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
        synchronized (this) {
          bytesSent += body.length;
        }
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
