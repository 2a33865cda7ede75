package io.autobutler.catalog.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.runtime.IndexSchema;

/** The replicas ingest-service has recorded, by Rucio dataset. */
@Path("/api/replicas")
@Produces(MediaType.APPLICATION_JSON)
public class ReplicaResource {

  private final ReplicaLedger ledger;
  private final IndexSchema indexSchema;

  public ReplicaResource(ReplicaLedger ledger, IndexSchema indexSchema) {
    this.ledger = ledger;
    this.indexSchema = indexSchema;
  }

  @GET
  @Operation(summary = "The recorded replicas of a Rucio dataset, given as scope:name")
  public List<ReplicaLedger.Replica> forDataset(@QueryParam("dataset") String dataset) throws SQLException {
    if (dataset == null || !dataset.contains(":")) {
      throw new IllegalArgumentException("query parameter 'dataset' must be a Rucio DID scope:name, e.g."
          + " raw:Dataset/LSSTComCam/raw/20241105");
    }
    indexSchema.ensure();
    int colon = dataset.indexOf(':');
    return ledger.forDataset(dataset.substring(0, colon), dataset.substring(colon + 1));
  }
}
