package io.autobutler.watcher.rucio;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The Rucio REST endpoints the watcher reads (rucio/rucio lib/rucio/web/rest/flaskapi/v1), as a REST client built
 * at run time by {@link RucioClient} ({@code autobutler.watcher.rucio.url} is runtime configuration).
 *
 * <p>Every answer is Rucio's {@code application/x-json-stream}, returned as a {@link Response} whose entity is read
 * as an {@code InputStream}, line by line, as it arrives. DID path segments are {@link Encoded}: the caller passes
 * them as Rucio's client writes them ({@link Did#path()}: slashes inside a name as {@code %2F}), and they reach
 * Rucio unchanged.
 */
@RegisterRestClient
@Produces(RucioApi.JSON_STREAM)
public interface RucioApi {

  String JSON_STREAM = "application/x-json-stream";

  @GET
  @Path("/dids/{scope}/dids/search")
  Response searchDids(@PathParam("scope") @Encoded String scope, @QueryParam("type") String type,
                      @QueryParam("name") String name);

  @POST
  @Path("/replicas/list")
  @Consumes(MediaType.APPLICATION_JSON)
  Response listReplicas(Map<String, Object> body);

  @GET
  @Path("/replicas/{scope}/{name}/datasets")
  Response datasetReplicas(@PathParam("scope") @Encoded String scope, @PathParam("name") @Encoded String name,
                           @QueryParam("deep") boolean deep);

  @GET
  @Path("/dids/{scope}/{name}/files")
  Response files(@PathParam("scope") @Encoded String scope, @PathParam("name") @Encoded String name);

  @POST
  @Path("/dids/bulkmeta")
  @Consumes(MediaType.APPLICATION_JSON)
  Response bulkMetadata(Map<String, Object> body);
}
