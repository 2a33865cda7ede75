package io.autobutler.core.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

/**
 * Connections to registry databases. A repository's {@code registry.db} is usually the services' own database,
 * served by their configured pool; another database gets a small pool of its own, with credentials from the
 * db-auth file (or, failing that, the services' user without a password, as trust or peer setups allow).
 */
public final class RegistryDatabases implements AutoCloseable {

  private final DatabaseUrl homeUrl;
  private final DataSource home;
  private final DbAuth dbAuth;
  private final String defaultUser;
  private final Map<String, AgroalDataSource> others = new ConcurrentHashMap<>();

  public RegistryDatabases(DatabaseUrl homeUrl, DataSource home, DbAuth dbAuth, String defaultUser) {
    this.homeUrl = homeUrl;
    this.home = home;
    this.dbAuth = dbAuth;
    this.defaultUser = defaultUser;
  }

  /** The services' own database, which also holds the index schema. */
  public DataSource home() {
    return home;
  }

  public DatabaseUrl homeUrl() {
    return homeUrl;
  }

  /** A data source for a registry database, checked to answer; the exception says which database failed and why. */
  public DataSource forRegistry(DatabaseUrl url) {
    DataSource dataSource = url.sameDatabase(homeUrl) && dbAuth.find(url).isEmpty()
        ? home
        : others.computeIfAbsent(url.display(), key -> open(url));
    try (Connection ignored = dataSource.getConnection()) {
      return dataSource;
    } catch (SQLException e) {
      throw new DatabaseUnavailableException("cannot connect to the registry database " + url.display() + ": "
          + e.getMessage(), e);
    }
  }

  private AgroalDataSource open(DatabaseUrl url) {
    DbAuth.Credentials credentials = dbAuth.find(url)
        .orElse(new DbAuth.Credentials(url.user() != null ? url.user() : defaultUser, null));
    AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
        .connectionPoolConfiguration(pool -> pool
            .minSize(0)
            .maxSize(8)
            .acquisitionTimeout(Duration.ofSeconds(15))
            .connectionFactoryConfiguration(factory -> {
              factory.jdbcUrl(url.jdbcUrl() + "?connectTimeout=10&ApplicationName=autobutler");
              if (credentials.username() != null) {
                factory.principal(new NamePrincipal(credentials.username()));
              }
              if (credentials.password() != null) {
                factory.credential(new SimplePassword(credentials.password()));
              }
              return factory;
            }));
    try {
      return AgroalDataSource.from(config);
    } catch (SQLException e) {
      throw new DatabaseUnavailableException("cannot open a pool to " + url.display() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    others.values().forEach(AgroalDataSource::close);
    others.clear();
  }

  /** A registry database that does not answer; the message names it, never with credentials. */
  public static final class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
