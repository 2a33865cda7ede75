package io.autobutler.catalog.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.autobutler.core.db.RegistryDatabases.DatabaseUnavailableException;
import io.autobutler.core.query.expr.ExpressionException;
import io.autobutler.core.registry.Registry;
import io.autobutler.core.registry.RegistryException;
import io.autobutler.core.repository.RepositoryIndex.RepositoryExistsException;

/** Turns failures into {@code {"error": "..."}} bodies with the status an operator's client can act on. */
public class ErrorMappers {

  /** The body of every error answer. */
  public record ErrorBody(String error) {
  }

  @ServerExceptionMapper
  public Response badRequest(IllegalArgumentException e) {
    return error(Response.Status.BAD_REQUEST, e.getMessage());
  }

  @ServerExceptionMapper
  public Response exists(RepositoryExistsException e) {
    return error(Response.Status.CONFLICT, e.getMessage());
  }

  @ServerExceptionMapper
  public Response databaseUnavailable(DatabaseUnavailableException e) {
    // The seed named a database that does not answer: the request must change, hence 4xx.
    return error(Response.Status.BAD_REQUEST, e.getMessage());
  }

  @ServerExceptionMapper
  public Response registry(RegistryException e) {
    Response.Status status = switch (e.kind()) {
      case MISSING_COLLECTION, MISSING_DATASET_TYPE -> Response.Status.NOT_FOUND;
      case CONFLICTING_DEFINITION -> Response.Status.CONFLICT;
      case COLLECTION_TYPE, COLLECTION_CYCLE, INVALID_ARGUMENT -> Response.Status.BAD_REQUEST;
    };
    return error(status, e.getMessage());
  }

  @ServerExceptionMapper
  public Response expression(ExpressionException e) {
    return error(Response.Status.BAD_REQUEST, "--where: " + e.getMessage());
  }

  @ServerExceptionMapper
  public Response registryDatabase(Registry.RegistryDatabaseException e) {
    // SQLSTATE class 22 (data exception, e.g. a numeric overflow in a --where expression) is the request's fault.
    if (e.getCause() instanceof java.sql.SQLException sql && sql.getSQLState() != null
        && sql.getSQLState().startsWith("22")) {
      return error(Response.Status.BAD_REQUEST, e.getMessage());
    }
    return error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    return error(Response.Status.fromStatusCode(e.getResponse().getStatus()), e.getMessage());
  }

  static Response error(Response.Status status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(message)).build();
  }
}
