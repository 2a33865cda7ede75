package io.autobutler.catalog.rest;

import static io.autobutler.catalog.rest.CollectionResource.require;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.core.visits.DefineVisits;

/** Visits of one repository: {@code define-visits}. */
@Path("/api/repositories/{repo}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VisitResource {

  private final RegistryLookup registries;
  private final DefineVisits defineVisits = new DefineVisits();

  public VisitResource(RegistryLookup registries) {
    this.registries = registries;
  }

  /** {@code butler define-visits REPO INSTRUMENT [--collections] [--where] [--update-records] [--incremental] ...}. */
  @Schema(name = "DefineVisitsRequest")
  public record DefineVisitsRequest(
      @Schema(description = "instrument name or class, e.g. LSSTComCam or lsst.obs.lsst.LsstComCam") String instrument,
      @Schema(description = "collections searched for camera geometry; they must exist (the nominal camera is used)")
      List<String> collections,
      @Schema(description = "--where over the exposure dimensions, e.g. exposure.observation_type='science'")
      String where,
      @Schema(description = "redefine visits that differ (and rewrite their detector regions)") boolean updateRecords,
      @Schema(description = "exposures of multi-exposure visits arrive in parts: update grown visits")
      boolean incremental,
      @Schema(description = "leave visits that differ as they are instead of refusing") boolean skipConflicting) {
  }

  @POST
  @Path("define-visits")
  @Operation(summary = "define-visits: visits of the instrument's exposures as obs_base w.2025.20 defines them"
      + " (one-to-one-and-by-counter, visit systems 0 and 2, regions from the boresight and the camera geometry);"
      + " one transaction, differing visits refused with 409 unless updating or skipping; the butler's log lines"
      + " in 'log'")
  public DefineVisits.Result defineVisits(@PathParam("repo") String repo, DefineVisitsRequest request) {
    require(request != null && request.instrument() != null && !request.instrument().isBlank(),
        "'instrument' is required");
    return defineVisits.run(registries.registry(repo), new DefineVisits.Request(request.instrument(),
        request.collections() == null ? List.of() : request.collections(), request.where(), request.updateRecords(),
        request.incremental(), request.skipConflicting()));
  }
}
