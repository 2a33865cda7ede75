package io.autobutler.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import io.autobutler.simulator.Catalogue.ReplicaState;
import io.autobutler.simulator.Catalogue.ReplicaView;
import io.autobutler.simulator.Catalogue.SimFile;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The RSE's storage, WebDAV-style: GET and HEAD of an AVAILABLE replica's file (HEAD answers {@code Want-Digest:
 * adler32} with a {@code Digest} header, as dCache does), and PROPFIND of a file or a folder (Depth 0 or 1), so that
 * the replicas' URLs resolve locally.
 */
final class FileServer {

  private final RucioSimulator simulator;

  FileServer(RucioSimulator simulator) {
    this.simulator = simulator;
  }

  void handle(RoutingContext ctx) {
    String relative = RucioWire.decode(ctx.request().path().substring(simulator.settings.pfnPrefix().length()))
        .replace("+", " ");
    String method = ctx.request().method().name();
    Optional<SimFile> file = lookup(relative);
    switch (method) {
      case "GET", "HEAD" -> {
        if (file.isEmpty()) {
          ctx.response().setStatusCode(404).end();
          return;
        }
        SimFile f = file.get();
        ctx.response().putHeader("Content-Type", "application/octet-stream")
            .putHeader("ETag", "\"" + f.adler32 + "\"")
            .putHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(f.createdAt).atOffset(ZoneOffset.UTC)));
        String wantDigest = ctx.request().getHeader("Want-Digest");
        if (wantDigest != null && wantDigest.toLowerCase().contains("adler32")) {
          ctx.response().putHeader("Digest", "adler32=" + f.adler32);
        }
        if (method.equals("HEAD")) {
          ctx.response().putHeader("Content-Length", Long.toString(f.bytes)).end();
        } else {
          ctx.response().end(Buffer.buffer(f.content()));
        }
      }
      case "PROPFIND" -> propfind(ctx, relative, file);
      default -> ctx.response().setStatusCode(405).putHeader("Allow", "GET, HEAD, PROPFIND").end();
    }
  }

  /** An AVAILABLE replica's file at {@code scope/name}. */
  private Optional<SimFile> lookup(String relative) {
    int slash = relative.indexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    return simulator.catalogue.file(relative.substring(0, slash), relative.substring(slash + 1))
        .filter(f -> f.state == ReplicaState.AVAILABLE);
  }

  private void propfind(RoutingContext ctx, String relative, Optional<SimFile> file) {
    String base = simulator.settings.pfnPrefix();
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\">\n");
    if (file.isPresent()) {
      entry(xml, base + relative, file.get().bytes, false);
    } else {
      String folder = relative.endsWith("/") || relative.isEmpty() ? relative : relative + "/";
      Set<String> children = new LinkedHashSet<>();
      boolean exists = false;
      for (ReplicaView v : simulator.catalogue.available()) {
        String path = v.file().scope + "/" + v.file().name;
        if (path.startsWith(folder)) {
          exists = true;
          String rest = path.substring(folder.length());
          int slash = rest.indexOf('/');
          children.add(slash < 0 ? rest + "\u0000" + v.file().bytes : rest.substring(0, slash + 1));
        }
      }
      if (!exists && !folder.isEmpty()) {
        ctx.response().setStatusCode(404).end();
        return;
      }
      entry(xml, base + folder, 0, true);
      if (!"0".equals(ctx.request().getHeader("Depth"))) {
        for (String child : children) {
          int nul = child.indexOf('\u0000');
          if (nul >= 0) {
            entry(xml, base + folder + child.substring(0, nul), Long.parseLong(child.substring(nul + 1)), false);
          } else {
            entry(xml, base + folder + child, 0, true);
          }
        }
      }
    }
    xml.append("</d:multistatus>\n");
    ctx.response().setStatusCode(207).putHeader("Content-Type", "application/xml; charset=utf-8").end(xml.toString());
  }

  private static void entry(StringBuilder xml, String href, long bytes, boolean collection) {
    xml.append("  <d:response><d:href>").append(escape(href)).append("</d:href><d:propstat><d:prop>");
    if (collection) {
      xml.append("<d:resourcetype><d:collection/></d:resourcetype>");
    } else {
      xml.append("<d:resourcetype/><d:getcontentlength>").append(bytes).append("</d:getcontentlength>");
    }
    xml.append("</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>\n");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
