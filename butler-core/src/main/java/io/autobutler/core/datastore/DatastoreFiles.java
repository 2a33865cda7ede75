package io.autobutler.core.datastore;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads a datastore's files by URI, as lsst/resources does for the schemes a butler datastore uses: {@code file:}
 * from the file system; {@code http:}/{@code https:} and WebDAV's {@code dav:}/{@code davs:} (fetched over http and
 * https) with GET for a file and PROPFIND {@code Depth: 1} to list a folder. A URI ending in {@code /} is a folder;
 * otherwise a remote URI is asked (PROPFIND {@code Depth: 0}) whether it is one. Parts of a file (a zip's index)
 * are read with random access or HTTP Range requests, never by fetching the whole file.
 */
public final class DatastoreFiles {

  private static final String DAV = "DAV:";
  private static final String PROPFIND_BODY = "<?xml version=\"1.0\" encoding=\"utf-8\" ?><D:propfind xmlns:D=\"DAV:\">"
      + "<D:prop><D:resourcetype/><D:getcontentlength/></D:prop></D:propfind>";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
  private static final java.util.regex.Pattern CONTENT_RANGE =
      java.util.regex.Pattern.compile("(?i)bytes\\s+(\\d+)-(\\d+)/(\\d+)");

  private final Optional<String> bearerToken;
  private HttpClient http;

  /** A folder's member: its URI (a folder's ends with {@code /}), its name, and its size in bytes when known. */
  public record Entry(URI uri, String name, boolean directory, Long size) {
  }

  public DatastoreFiles() {
    this(Optional.empty());
  }

  /** @param bearerToken sent as {@code Authorization: Bearer} to http(s) and WebDAV servers, when given */
  public DatastoreFiles(Optional<String> bearerToken) {
    this.bearerToken = bearerToken.filter(t -> !t.isBlank());
  }

  /** The whole content of a file. */
  public byte[] read(URI uri) throws IOException {
    return readIfExists(uri).orElseThrow(() -> new FileNotFoundException("no file at " + text(uri)));
  }

  /** The content of a file, or empty when there is no file there. */
  public Optional<byte[]> readIfExists(URI uri) throws IOException {
    if (isLocal(uri)) {
      try {
        return Optional.of(Files.readAllBytes(Path.of(uri)));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    }
    HttpResponse<byte[]> response = send(request(uri).GET(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    requireSuccess("GET", uri, response.statusCode());
    return Optional.of(response.body());
  }

  /**
   * A file's size, or empty when there is no file there: the file system for {@code file:}, HEAD for the http and
   * WebDAV schemes (its {@code Content-Length}; a PROPFIND {@code Depth: 0} when HEAD gives none). Any other failure
   * (the server unreachable, a 5xx) is an {@link IOException}: the caller cannot tell whether the file is there.
   */
  public java.util.OptionalLong size(URI uri) throws IOException {
    if (isLocal(uri)) {
      try {
        Path path = Path.of(uri);
        return Files.isRegularFile(path) ? java.util.OptionalLong.of(Files.size(path)) : java.util.OptionalLong.empty();
      } catch (NoSuchFileException e) {
        return java.util.OptionalLong.empty();
      }
    }
    HttpResponse<Void> response = send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()),
        HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() == 404) {
      return java.util.OptionalLong.empty();
    }
    requireSuccess("HEAD", uri, response.statusCode());
    java.util.OptionalLong length = response.headers().firstValueAsLong("Content-Length");
    if (length.isPresent()) {
      return length;
    }
    List<Entry> entries = propfind(uri, "0");
    return entries.isEmpty() || entries.get(0).size() == null ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(entries.get(0).size());
  }

  /**
   * A file's adler32 as 8 lower-case hex digits: for the http and WebDAV schemes the server's own digest when it
   * gives one (HEAD with {@code Want-Digest: adler32}, as dCache and XRootD's http door answer), else computed
   * from the content, streamed; for {@code file:} computed from the file.
   *
   * @throws FileNotFoundException when there is no file there
   */
  public String adler32(URI uri) throws IOException {
    if (!isLocal(uri)) {
      HttpResponse<Void> head = send(request(uri).header("Want-Digest", "adler32")
          .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
      if (head.statusCode() == 404) {
        throw new FileNotFoundException("no file at " + text(uri));
      }
      requireSuccess("HEAD", uri, head.statusCode());
      for (String digest : head.headers().allValues("Digest")) {
        for (String part : digest.split(",")) {
          String[] kv = part.strip().split("=", 2);
          if (kv.length == 2 && kv[0].equalsIgnoreCase("adler32") && kv[1].strip().matches("[0-9a-fA-F]{1,8}")) {
            return String.format("%08x", Long.parseLong(kv[1].strip(), 16));
          }
        }
      }
    }
    java.util.zip.Adler32 adler = new java.util.zip.Adler32();
    try (InputStream in = open(uri)) {
      byte[] buffer = new byte[256 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        adler.update(buffer, 0, n);
      }
    }
    return String.format("%08x", adler.getValue());
  }

  /** A stream of a file's content. */
  private InputStream open(URI uri) throws IOException {
    if (isLocal(uri)) {
      try {
        return Files.newInputStream(Path.of(uri));
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("no file at " + text(uri));
      }
    }
    HttpResponse<InputStream> response = send(request(uri).GET(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() == 404) {
      response.body().close();
      throw new FileNotFoundException("no file at " + text(uri));
    }
    if (response.statusCode() / 100 != 2) {
      response.body().close();
      requireSuccess("GET", uri, response.statusCode());
    }
    return response.body();
  }

  /** The end of a file: its last bytes (all of them when the file is smaller) and the file's size. */
  public record Tail(long size, byte[] bytes) {
  }

  /**
   * Bytes {@code [offset, offset + length)} of a file (fewer when it ends first), without reading the rest: random
   * access for {@code file:}, an HTTP Range request otherwise. A server that ignores the range (HTTP 200) is read
   * as a stream up to the end of the range and no further.
   *
   * @throws FileNotFoundException when there is no file there
   */
  public byte[] readRange(URI uri, long offset, int length) throws IOException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("a byte range needs a non-negative offset and length, not " + offset + "+"
          + length);
    }
    if (length == 0) {
      return new byte[0];
    }
    if (isLocal(uri)) {
      try (FileChannel channel = FileChannel.open(Path.of(uri), StandardOpenOption.READ)) {
        long available = Math.max(0, channel.size() - offset);
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, available));
        while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
          // read until the range is full or the file ends
        }
        return buffer.position() == buffer.capacity() ? buffer.array()
            : java.util.Arrays.copyOf(buffer.array(), buffer.position());
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("no file at " + text(uri));
      }
    }
    HttpResponse<InputStream> response = send(request(uri).header("Range", "bytes=" + offset + "-"
        + (offset + length - 1)).GET(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 404) {
        throw new FileNotFoundException("no file at " + text(uri));
      }
      if (status == 416) {
        return new byte[0];
      }
      if (status == 206) {
        long start = contentRange(uri, response)[0];
        if (start != offset) {
          throw new IOException("GET " + text(uri) + " with Range bytes=" + offset + "-: the server answered bytes"
              + " from " + start);
        }
        return body.readNBytes(length);
      }
      requireSuccess("GET", uri, status);
      body.skipNBytes(offset);
      return body.readNBytes(length);
    } catch (java.io.EOFException e) {
      return new byte[0];
    }
  }

  /**
   * The last {@code length} bytes of a file and its size, without reading the rest: random access for {@code file:},
   * an HTTP suffix Range request ({@code bytes=-length}) otherwise.
   *
   * @throws FileNotFoundException when there is no file there
   */
  public Tail readTail(URI uri, int length) throws IOException {
    if (isLocal(uri)) {
      long size;
      try {
        size = Files.size(Path.of(uri));
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("no file at " + text(uri));
      }
      long offset = Math.max(0, size - length);
      return new Tail(size, readRange(uri, offset, (int) (size - offset)));
    }
    HttpResponse<InputStream> response = send(request(uri).header("Range", "bytes=-" + length).GET(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 404) {
        throw new FileNotFoundException("no file at " + text(uri));
      }
      if (status == 416) {
        // Nothing to send: an empty file.
        return new Tail(0, new byte[0]);
      }
      if (status == 206) {
        long[] range = contentRange(uri, response);
        return new Tail(range[2], body.readNBytes((int) (range[1] - range[0] + 1)));
      }
      requireSuccess("GET", uri, status);
      // The server ignored the range: keep only the last bytes of the stream.
      byte[] ring = new byte[length];
      byte[] chunk = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = body.read(chunk)) > 0; total += n) {
        for (int i = 0; i < n; i++) {
          ring[(int) ((total + i) % length)] = chunk[i];
        }
      }
      int kept = (int) Math.min(total, length);
      byte[] tail = new byte[kept];
      for (int i = 0; i < kept; i++) {
        tail[i] = ring[(int) ((total - kept + i) % length)];
      }
      return new Tail(total, tail);
    }
  }

  /** {@code Content-Range: bytes first-last/size} of a 206 answer, as {first, last, size}. */
  private static long[] contentRange(URI uri, HttpResponse<?> response) throws IOException {
    String header = response.headers().firstValue("Content-Range").orElse("");
    java.util.regex.Matcher m = CONTENT_RANGE.matcher(header.strip());
    if (!m.matches()) {
      throw new IOException("GET " + text(uri) + " answered 206 with Content-Range '" + header + "' (expected bytes"
          + " first-last/size)");
    }
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
  }

  /** Whether {@code uri} names a folder (one that exists). */
  public boolean isDirectory(URI uri) throws IOException {
    if (isLocal(uri)) {
      return Files.isDirectory(Path.of(uri));
    }
    if (uri.getPath() != null && uri.getPath().endsWith("/")) {
      return true;
    }
    List<Entry> entries = propfind(uri, "0");
    return !entries.isEmpty() && entries.get(0).directory();
  }

  /**
   * The members of a folder (files and sub-folders, not the folder itself), sorted by name.
   *
   * @throws FileNotFoundException when there is no such folder
   */
  public List<Entry> list(URI directory) throws IOException {
    URI folder = asDirectory(directory);
    List<Entry> entries = new ArrayList<>();
    if (isLocal(folder)) {
      Path path = Path.of(folder);
      if (!Files.isDirectory(path)) {
        throw new FileNotFoundException("no folder at " + text(folder));
      }
      try (Stream<Path> children = Files.list(path)) {
        for (Path child : children.toList()) {
          boolean isDirectory = Files.isDirectory(child);
          String name = child.getFileName().toString();
          entries.add(new Entry(child(folder, name, isDirectory), name, isDirectory,
              isDirectory ? null : Files.size(child)));
        }
      }
    } else {
      List<Entry> found = propfind(folder, "1");
      if (found.isEmpty()) {
        throw new FileNotFoundException("no folder at " + text(folder));
      }
      String self = stripSlash(folder.getPath());
      for (Entry entry : found) {
        if (!stripSlash(entry.uri().getPath()).equals(self)) {
          entries.add(entry);
        }
      }
    }
    entries.sort(java.util.Comparator.comparing(Entry::name));
    return entries;
  }

  /**
   * Every file under a local folder ({@code file:}), sub-folders included, with its size, in one pass of the file
   * system (one attribute read per file): what a storage audit needs from a tree of 150,000 files.
   *
   * @throws FileNotFoundException when there is no such folder
   */
  public static void walkLocal(URI directory, java.util.function.Consumer<Entry> files) throws IOException {
    Path root = Path.of(directory);
    if (!Files.isDirectory(root)) {
      throw new FileNotFoundException("no folder at " + text(directory));
    }
    Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          files.accept(new Entry(file.toUri(), file.getFileName().toString(), false, attrs.size()));
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return java.nio.file.FileVisitResult.CONTINUE; // removed while the walk ran
        }
        throw e;
      }
    });
  }

  /** Whether a URI names a local file ({@code file:}). */
  public static boolean isLocalUri(URI uri) {
    return isLocal(uri);
  }

  /** A folder's member by name: names are path segments, never URIs (a {@code :} in one stays in the path). */
  public static URI child(URI directory, String name, boolean isDirectory) {
    try {
      return asDirectory(directory).resolve(new URI(null, null, "./" + name + (isDirectory ? "/" : ""), null))
          .normalize();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + name + "' is not a valid file name: " + e.getReason(), e);
    }
  }

  /** The same URI ending with {@code /}. */
  public static URI asDirectory(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? uri : URI.create(text + "/");
  }

  /** The URI as the butler writes it: {@code file:///path} for local files (java.net.URI drops the empty host). */
  public static String text(URI uri) {
    String text = uri.toString();
    return text.startsWith("file:/") && !text.startsWith("file://") ? "file://" + text.substring("file:".length())
        : text;
  }

  /**
   * Whether {@code uri} lies under {@code root} (with or without its trailing slash) and does not climb out of it
   * with {@code /../}: where transfer {@code direct} may record a file.
   */
  public static boolean isUnder(String uri, String root) {
    String prefix = root.endsWith("/") ? root : root + "/";
    return uri.startsWith(prefix) && !uri.contains("/../");
  }

  /** The http(s) address of a remote URI: WebDAV's {@code davs:} is https, {@code dav:} http. */
  public static URI httpUri(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String http = switch (scheme) {
      case "davs", "https" -> "https";
      case "dav", "http" -> "http";
      default -> throw new IllegalArgumentException("cannot read '" + uri + "': the scheme must be file, http,"
          + " https, dav or davs");
    };
    try {
      return new URI(http, uri.getRawAuthority() == null ? null : uri.getAuthority(), uri.getPath(), uri.getQuery(),
          null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + uri + "' is not a valid URI: " + e.getReason(), e);
    }
  }

  private static boolean isLocal(URI uri) {
    return "file".equalsIgnoreCase(uri.getScheme());
  }

  /** PROPFIND with the given depth: the entries, the requested resource first; empty when it does not exist. */
  private List<Entry> propfind(URI uri, String depth) throws IOException {
    HttpResponse<byte[]> response = send(request(uri).header("Depth", depth)
        .header("Content-Type", "application/xml; charset=\"utf-8\"")
        .method("PROPFIND", HttpRequest.BodyPublishers.ofString(PROPFIND_BODY)),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 404) {
      return List.of();
    }
    if (response.statusCode() != 207) {
      throw new IOException("PROPFIND " + text(uri) + " answered HTTP " + response.statusCode()
          + " (a WebDAV server answers 207)");
    }
    return parseMultistatus(uri, response.body());
  }

  /** The entries of a WebDAV multistatus answer; only properties with status 200 count. */
  static List<Entry> parseMultistatus(URI requested, byte[] body) throws IOException {
    Document document;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      DocumentBuilder builder = factory.newDocumentBuilder();
      document = builder.parse(new ByteArrayInputStream(body));
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("PROPFIND " + text(requested) + ": the answer is not a WebDAV multistatus document: "
          + e.getMessage(), e);
    }
    List<Entry> entries = new ArrayList<>();
    NodeList responses = document.getElementsByTagNameNS(DAV, "response");
    for (int i = 0; i < responses.getLength(); i++) {
      Element response = (Element) responses.item(i);
      Element href = firstChild(response, "href");
      if (href == null) {
        throw new IOException("PROPFIND " + text(requested) + ": a response without href");
      }
      boolean collection = false;
      Long size = null;
      for (Element propstat : children(response, "propstat")) {
        Element status = firstChild(propstat, "status");
        if (status == null || !status.getTextContent().strip().matches("(?i)HTTP/\\S+ 200 .*|HTTP/\\S+ 200")) {
          continue;
        }
        for (Element prop : children(propstat, "prop")) {
          Element type = firstChild(prop, "resourcetype");
          if (type != null && firstChild(type, "collection") != null) {
            collection = true;
          }
          Element length = firstChild(prop, "getcontentlength");
          if (length != null && !length.getTextContent().isBlank()) {
            try {
              size = Long.parseLong(length.getTextContent().strip());
            } catch (NumberFormatException e) {
              size = null;
            }
          }
        }
      }
      URI uri = hrefUri(requested, href.getTextContent().strip());
      String path = stripSlash(uri.getPath());
      String name = path.substring(path.lastIndexOf('/') + 1);
      URI normalized = collection ? asDirectory(uri) : uri;
      entries.add(new Entry(normalized, name, collection, collection ? null : size));
    }
    return entries;
  }

  /** An href (absolute URL or absolute path, percent-encoded) as a URI with the requested URI's scheme and host. */
  private static URI hrefUri(URI requested, String href) throws IOException {
    try {
      URI parsed = new URI(href);
      return new URI(requested.getScheme(), requested.getAuthority(), parsed.getPath(), null, null);
    } catch (URISyntaxException e) {
      try {
        return new URI(requested.getScheme(), requested.getAuthority(), href, null, null);
      } catch (URISyntaxException again) {
        throw new IOException("PROPFIND " + text(requested) + ": href '" + href + "' is not a path", again);
      }
    }
  }

  private static Element firstChild(Element parent, String localName) {
    List<Element> found = children(parent, localName);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> found = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && DAV.equals(element.getNamespaceURI())
          && localName.equals(element.getLocalName())) {
        found.add(element);
      }
    }
    return found;
  }

  private static String stripSlash(String path) {
    String p = path == null ? "" : path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(httpUri(uri)).timeout(REQUEST_TIMEOUT);
    bearerToken.ifPresent(token -> builder.header("Authorization", "Bearer " + token));
    return builder;
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    HttpRequest built = request.build();
    try {
      return client().send(built, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(built.method() + " " + built.uri() + " was interrupted");
    } catch (IOException e) {
      throw new IOException(built.method() + " " + built.uri() + ": " + e, e);
    }
  }

  private synchronized HttpClient client() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NORMAL).build();
    }
    return http;
  }

  private static void requireSuccess(String method, URI uri, int status) throws IOException {
    if (status / 100 != 2) {
      throw new IOException(method + " " + text(uri) + " answered HTTP " + status);
    }
  }

  /** The text of a file as UTF-8. */
  public String readString(URI uri) throws IOException {
    return new String(read(uri), StandardCharsets.UTF_8);
  }
}
