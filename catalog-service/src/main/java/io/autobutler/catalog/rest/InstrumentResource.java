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

import io.autobutler.catalog.service.InstrumentService;

/** The commands that set a repository up: instrument, skymap, curated calibrations. */
@Path("/api/repositories/{repo}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InstrumentResource {

  private final InstrumentService instruments;

  public InstrumentResource(InstrumentService instruments) {
    this.instruments = instruments;
  }

  public record RegisterInstrument(String instrument) {
  }

  public record RegisterSkymap(String config, String source) {
  }

  public record WriteCuratedCalibrations(String instrument, List<String> labels) {
  }

  @POST
  @Path("register-instrument")
  @Operation(summary = "register-instrument: the instrument, detector and physical_filter records (e.g."
      + " lsst.obs.lsst.LsstComCam)")
  public InstrumentService.Outcome registerInstrument(@PathParam("repo") String repo, RegisterInstrument request) {
    require(request != null && request.instrument() != null, "'instrument' is required");
    return instruments.registerInstrument(repo, request.instrument());
  }

  @POST
  @Path("register-skymap")
  @Operation(summary = "register-skymap: the skymap record from a skymap config file, the skymaps RUN and the"
      + " skyMap dataset")
  public InstrumentService.Outcome registerSkymap(@PathParam("repo") String repo, RegisterSkymap request) {
    require(request != null && request.config() != null, "'config' (the config file's text) is required");
    return instruments.registerSkymap(repo, request.config(), request.source());
  }

  @POST
  @Path("write-curated-calibrations")
  @Operation(summary = "write-curated-calibrations: camera and curated calibrations into"
      + " <INSTRUMENT>/calib/<label> and its RUNs, certified")
  public InstrumentService.Outcome writeCuratedCalibrations(@PathParam("repo") String repo,
                                                            WriteCuratedCalibrations request) {
    require(request != null && request.instrument() != null, "'instrument' is required");
    return instruments.writeCuratedCalibrations(repo, request.instrument(), request.labels());
  }
}
