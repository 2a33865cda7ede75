package io.autobutler.verifier.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.autobutler.core.repository.Repository;
import io.autobutler.core.verify.Checks;
import io.autobutler.core.verify.Severity;
import io.autobutler.core.verify.VerificationReport;
import io.autobutler.verifier.check.ChecksumMode;
import io.autobutler.verifier.service.RegistryLookup;
import io.autobutler.verifier.service.ReportStore;
import io.autobutler.verifier.service.Verification;
import io.smallrye.common.annotation.Blocking;

/**
 * A repository's verification over REST: the latest reports, a summary per check, and a run on demand. A repository
 * never verified is verified on the first read.
 */
@Path("/api/repositories/{repo}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class VerificationResource {

  private final Verification verification;
  private final ReportStore store;
  private final RegistryLookup registries;

  public VerificationResource(Verification verification, ReportStore store, RegistryLookup registries) {
    this.verification = verification;
    this.store = store;
    this.registries = registries;
  }

  /** One line per check: its worst severity, how many reports and how many of them are not ok. */
  public record CheckSummary(String check, Severity severity, int reports, int problems, String line) {
  }

  /** The repository's overall state: the worst severity of all its reports, and one line per check. */
  public record Summary(String repository, Severity severity, Instant generatedAt, List<CheckSummary> checks) {
  }

  @GET
  @Path("reports")
  @Operation(summary = "The latest verification reports of the repository (all checks, every subject); check and"
      + " severity filter them")
  public List<VerificationReport> reports(@PathParam("repo") String repo, @QueryParam("check") String check,
                                          @QueryParam("severity") String severity) {
    Severity wanted = severity == null ? null : Severity.fromLabel(severity);
    if (check != null && !Checks.ALL.contains(check)) {
      throw new IllegalArgumentException("unknown check '" + check + "'; known: " + String.join(", ", Checks.ALL));
    }
    return latest(repo).stream().filter(r -> check == null || r.check().equals(check))
        .filter(r -> wanted == null || r.severity() == wanted).toList();
  }

  @GET
  @Path("verification")
  @Operation(summary = "The repository's overall severity and one line per check")
  public Summary summary(@PathParam("repo") String repo) {
    List<VerificationReport> reports = latest(repo);
    Map<String, List<VerificationReport>> byCheck = new LinkedHashMap<>();
    Checks.ALL.forEach(c -> byCheck.put(c, new ArrayList<>()));
    reports.forEach(r -> byCheck.computeIfAbsent(r.check(), c -> new ArrayList<>()).add(r));
    List<CheckSummary> lines = new ArrayList<>();
    Severity overall = Severity.OK;
    for (Map.Entry<String, List<VerificationReport>> entry : byCheck.entrySet()) {
      if (entry.getValue().isEmpty()) {
        continue;
      }
      Severity worst = entry.getValue().stream().map(VerificationReport::severity).reduce(Severity.OK,
          Severity::worst);
      overall = overall.worst(worst);
      List<VerificationReport> problems = entry.getValue().stream().filter(r -> r.severity().isProblem()).toList();
      String line = problems.isEmpty() ? entry.getValue().size() + " subjects ok"
          : problems.size() + " of " + entry.getValue().size() + " subjects not ok; first: " + problems.get(0).subject()
          + ": " + problems.get(0).summary();
      lines.add(new CheckSummary(entry.getKey(), worst, entry.getValue().size(), problems.size(), line));
    }
    return new Summary(repo, overall, store.lastRun(repo), lines);
  }

  @POST
  @Path("verify")
  @Operation(summary = "Run every check now and return the reports; checksums=none|sample|all chooses which files'"
      + " adler32 is compared (default sample)")
  public List<VerificationReport> verify(@PathParam("repo") String repo,
                                         @QueryParam("checksums") @DefaultValue("sample") String checksums) {
    ChecksumMode mode = ChecksumMode.parse(checksums);
    return verification.verify(repository(repo), "rest", mode);
  }

  private List<VerificationReport> latest(String repo) {
    Repository repository = repository(repo);
    if (store.lastRun(repo) == null) {
      verification.verify(repository, "rest", ChecksumMode.SAMPLE);
    }
    return store.latest(repo);
  }

  private Repository repository(String repo) {
    return registries.find(repo).orElseThrow(() -> new NotFoundException("no repository named '" + repo + "'"));
  }

  @ServerExceptionMapper
  public Response badRequest(IllegalArgumentException e) {
    return error(Response.Status.BAD_REQUEST, e.getMessage());
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return error(Response.Status.NOT_FOUND, e.getMessage());
  }

  private static Response error(Response.Status status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
  }
}
