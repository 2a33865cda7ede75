package io.autobutler.catalog.campaign;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.autobutler.catalog.service.RegistryLookup;
import io.autobutler.catalog.service.RepositoryService;
import io.autobutler.core.manifest.CampaignManifest;
import io.autobutler.core.manifest.CampaignManifest.Chain;
import io.autobutler.core.manifest.CampaignManifest.Tagged;
import io.autobutler.core.manifest.DeclaredCollections;
import io.autobutler.core.registry.Registry;

/** The configured campaign: where its repository stands against the manifest, and a convergence pass on demand. */
@Path("/api/campaign")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

  private final Campaign campaign;
  private final Convergence convergence;
  private final RepositoryService repositories;
  private final RegistryLookup registries;

  public CampaignResource(Campaign campaign, Convergence convergence, RepositoryService repositories,
                          RegistryLookup registries) {
    this.campaign = campaign;
    this.convergence = convergence;
    this.repositories = repositories;
    this.registries = registries;
  }

  /** A tagged selection and how many datasets its TAGGED collection holds (-1: not created yet). */
  public record TaggedState(String name, String datasetType, List<String> collections, String where, long members) {
  }

  /** The campaign's state; {@code problem} is why convergence is failing now, if it is. */
  public record CampaignState(String name, String repository, boolean repositoryExists,
                              List<DeclaredCollections.ChainState> chains, List<TaggedState> tagged, long passes,
                              PassReport lastPass, String problem) {
  }

  @GET
  @Operation(summary = "The campaign manifest's name and repository, each chain with its declared, actual and missing"
      + " children, each tagged selection with its member count, and the last convergence pass")
  public CampaignState state() {
    CampaignManifest manifest = manifest();
    String repo = manifest.repository().name();
    boolean exists = repositories.find(repo).isPresent();
    Registry registry = exists ? registries.registry(repo) : null;
    List<DeclaredCollections.ChainState> chains = manifest.chains().stream()
        .map(chain -> exists ? ChainConvergence.state(registry, chain)
            : new DeclaredCollections.ChainState(chain.name(), chain.children(), List.of(), chain.children()))
        .toList();
    List<TaggedState> tagged = manifest.tagged().stream()
        .map(t -> new TaggedState(t.name(), t.datasetType(), t.collections(), DeclaredCollections.where(t),
            exists ? TaggedConvergence.members(registry, t) : -1))
        .toList();
    return new CampaignState(manifest.name(), repo, exists, chains, tagged, convergence.passes(),
        convergence.lastPass(), convergence.problem());
  }

  @POST
  @Path("converge")
  @Operation(summary = "Run a full convergence pass now (setup, chains, every tagged selection) and return what"
      + " changed")
  public PassReport converge() {
    manifest();
    return convergence.convergeNow("rest");
  }

  private CampaignManifest manifest() {
    if (!campaign.configured()) {
      throw new NotFoundException("no campaign manifest is configured (autobutler.catalog.manifest)");
    }
    return campaign.manifest();
  }
}
