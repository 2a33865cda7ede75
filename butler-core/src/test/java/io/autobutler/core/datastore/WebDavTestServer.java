package io.autobutler.core.datastore;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a site's WebDAV door (dCache at FrDF), serving a local folder: GET of a file, PROPFIND with
 * {@code Depth: 0} or {@code 1} answered with a 207 multistatus as dCache writes it (absolute, percent-encoded hrefs,
 * collections ending in {@code /}), 404 for what does not exist. It is a test double of an external system.
 */
public final class WebDavTestServer implements AutoCloseable {

  private final HttpServer server;
  private final Path root;
  private final List<String> requests = new ArrayList<>();

  public WebDavTestServer(Path root) {
    this.root = root;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code dav://127.0.0.1:<port>/<path>}: WebDAV over plain http. */
  public URI uri(String path) {
    return URI.create("dav://127.0.0.1:" + server.getAddress().getPort() + "/" + path);
  }

  /** The requests served, as {@code METHOD path [Depth]}. */
  public synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String depth = exchange.getRequestHeaders().getFirst("Depth");
      synchronized (this) {
        requests.add(exchange.getRequestMethod() + " " + path + (depth == null ? "" : " " + depth));
      }
      Path file = root.resolve(path.substring(1)).normalize();
      if (!file.startsWith(root) || !Files.exists(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      switch (exchange.getRequestMethod()) {
        case "GET" -> {
          byte[] body = Files.readAllBytes(file);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
        case "PROPFIND" -> {
          exchange.getRequestBody().readAllBytes();
          StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              + "<d:multistatus xmlns:d=\"DAV:\" xmlns:ns1=\"http://www.dcache.org/2013/webdav\">\n");
          xml.append(response(file));
          if ("1".equals(depth) && Files.isDirectory(file)) {
            try (Stream<Path> children = Files.list(file)) {
              for (Path child : children.sorted().toList()) {
                xml.append(response(child));
              }
            }
          }
          xml.append("</d:multistatus>\n");
          byte[] body = xml.toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/xml; charset=utf-8");
          exchange.sendResponseHeaders(207, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
        default -> exchange.sendResponseHeaders(405, -1);
      }
    }
  }

  private String response(Path file) throws IOException {
    boolean directory = Files.isDirectory(file);
    String relative = root.relativize(file).toString().replace('\\', '/');
    String href;
    try {
      href = new URI(null, null, "/" + relative + (directory && !relative.isEmpty() ? "/" : ""), null)
          .toASCIIString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    return "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop>"
        + (directory ? "<d:resourcetype><d:collection/></d:resourcetype>"
            : "<d:resourcetype/><d:getcontentlength>" + Files.size(file) + "</d:getcontentlength>")
        + "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
        + "<d:propstat><d:prop><ns1:Checksums/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>"
        + "</d:response>\n";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
