package io.autobutler.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.zip.Adler32;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.CliException;
import io.autobutler.cli.Folders;
import io.autobutler.cli.repo.CatalogClient;
import io.autobutler.cli.stack.JdbcUrl;
import io.autobutler.cli.stack.KafkaBrokerProcess;
import io.autobutler.cli.stack.ProcessControl;
import io.autobutler.cli.stack.Service;
import io.autobutler.cli.stack.StackConfig;
import io.autobutler.cli.stack.StackOptions;
import io.autobutler.cli.stack.StackToken;
import io.autobutler.core.campaign.SyntheticRaws;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.event.Topics;
import io.autobutler.core.ingest.index.IndexFile;
import io.autobutler.core.manifest.ManifestReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./autobutler bench ingest}: the event-driven raw ingest end to end, against the floor. Synthetic ComCam
 * raws are written as exposure folders with their {@code _index.json}; a new repository is created through
 * catalog-service; an ingest-service of the bench's own (its own port, consumer group, topics and a manifest naming
 * that repository) ingests the replica events the bench publishes, and the time from the first event sent to the
 * last registry commit gives raws per second. Then the very rows it wrote are COPY'd into an empty namespace
 * ({@link CopyFloor}), the fastest any ingest could load them.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Writes --raws synthetic LSSTComCam raws with their _index.json files under the state directory"
        + " (about 16,500 exposures of 9 detectors for the default, a few missing, 13% science; kept for later runs),"
        + " creates a new repository bench_ingest_<id> through catalog-service, starts an ingest-service of its own"
        + " (free port, own consumer group, fresh topics, a manifest with one ingest-raws rule), publishes one replica"
        + " event per file and times them from the first event sent to the last registry commit. Then it loads the"
        + " same registry rows with PostgreSQL COPY into an empty namespace and times that.",
        "Last line: ingest raws_per_s=<n> copy_raws_per_s=<n> ratio=<x>"})
public class IngestBenchCommand implements Callable<Integer> {

  /** RTN-103's 148,849 output lines less the table's 4 frame lines. */
  static final int RTN103_RAWS = 148_845;
  private static final long SEED = 20241108L;
  private static final String RSE = "IN2P3_RAW_DISK";
  private static final String RULE_DATASETS = "Dataset/LSSTComCam/raw/";
  /** The measured campaign's first night (SyntheticRaws' default) and the warm-up's, a year before: no overlap. */
  private static final LocalDate FIRST_NIGHT = LocalDate.of(2024, 10, 24);
  private static final LocalDate WARMUP_FIRST_NIGHT = LocalDate.of(2023, 10, 24);
  /** The services' autobutler.registry.index-schema, which the local stack leaves at its default. */
  private static final String INDEX_SCHEMA = "autobutler";
  private static final String COPY_NAMESPACE = "bench_ingest_copy";

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  StackOptions options;

  @Option(names = "--raws", defaultValue = "148845", description = "How many raws (default: RTN-103's 148,845).")
  int raws;

  @Option(names = "--warmup", description = "Raws of another campaign (other nights) the service ingests first,"
      + " untimed, so that the timing sees the service as it runs for days: its code compiled by the JIT, its"
      + " repository not empty (default: as many as --raws; 0: none).")
  Integer warmup;

  @Option(names = "--stall-timeout", defaultValue = "300", description = "Seconds without ingest progress after"
      + " which the bench gives up (default 300).")
  int stallTimeout;

  /** The database the stack runs on, as the bench's ingest-service and its own queries reach it. */
  record Database(String jdbcUrl, String user, String password) {

    /** The database the running stack recorded at up (the embedded server's own user when it is the embedded one). */
    static Database of(StackConfig config) {
      Properties recorded = config.recorded();
      String dbUrl = recorded.getProperty("postgres.effective.url");
      if (dbUrl == null) {
        throw new CliException("no running stack recorded in " + config.recordFile() + ": run ./autobutler up first");
      }
      boolean embedded = "embedded".equals(recorded.getProperty("postgres.kind"));
      return new Database(JdbcUrl.parse(dbUrl).jdbc(), embedded ? "postgres" : config.dbUser(),
          embedded ? "postgres" : config.dbPassword());
    }

    Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbcUrl, user, password);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (raws < 1) {
      throw new CliException("--raws must be positive, not " + raws);
    }
    if (warmup == null) {
      warmup = raws;
    }
    if (warmup < 0) {
      throw new CliException("--warmup must not be negative, not " + warmup);
    }
    PrintWriter out = spec.commandLine().getOut();
    AutobutlerCommand root = (AutobutlerCommand) spec.root().userObject();
    StackConfig config = StackConfig.resolve(options, root.env(), root.home());
    Path ingestJar = Service.INGEST_SERVICE.jar(config.projectRoot());
    if (!Files.isRegularFile(ingestJar)) {
      throw new CliException("not built: " + config.projectRoot().relativize(ingestJar)
          + ". Build with ./mvnw -B -q -DskipTests package");
    }
    String bootstrap = config.kafkaBootstrap();
    if (!KafkaBrokerProcess.answers(bootstrap)) {
      throw new CliException("no Kafka at " + bootstrap + ": run ./autobutler up first");
    }
    Database db = Database.of(config);
    CatalogClient client = new CatalogClient(URI.create(config.serviceUrl(Service.CATALOG_SERVICE)),
        StackToken.read(config.tokenFile()));
    String id = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000_000L, 36);
    String repo = "bench_ingest_" + id;
    fill(config, db, client, ingestJar, repo, id, out);

    // 4. The floor: the same rows by COPY into an empty namespace.
    CopyFloor floor = new CopyFloor(db.jdbcUrl(), db.user(), db.password());
    CopyFloor.Result copy;
    try {
      copy = floor.measure(repo, COPY_NAMESPACE);
    } finally {
      floor.drop(COPY_NAMESPACE);
    }
    out.printf("copy: %s (%.1f MiB) into an empty namespace in %.2f s: %,.0f raws/s%n",
        String.join(", ", copy.rows().entrySet().stream().map(e -> String.format("%,d %s", e.getValue(), e.getKey()))
            .toList()), copy.bytes() / 1048576.0, copy.elapsed().toNanos() / 1e9, copy.rawsPerSecond());
    out.printf(Locale.ROOT, "ingest raws_per_s=%.0f copy_raws_per_s=%.0f ratio=%.2f%n", lastIngest.rawsPerSecond(),
        copy.rawsPerSecond(), lastIngest.rawsPerSecond() / copy.rawsPerSecond());
    out.flush();
    return 0;
  }

  /** Where the bench keeps its campaigns and manifests. */
  static Path work(StackConfig config) {
    return config.stateDir().resolve("bench-ingest");
  }

  /** The folder of the campaign of {@code raws} raws that {@link #fill} writes (and reuses). */
  static Path campaignRoot(StackConfig config, int raws) {
    return work(config).resolve("raws-" + raws);
  }

  /** The measured ingest of the last {@link #fill}. */
  private Ingest lastIngest;

  /**
   * Steps 1 to 3: the campaign on disk (kept for later runs), a new repository {@code repo} through catalog-service
   * with LSSTComCam, an ingest-service of the bench's own, the warm-up, then the measured ingest of every raw. The
   * repository stays; the bench's ledger rows and topics go.
   */
  void fill(StackConfig config, Database db, CatalogClient client, Path ingestJar, String repo, String id,
            PrintWriter out) throws Exception {
    String bootstrap = config.kafkaBootstrap();
    String scope = repo;
    Path work = work(config);

    // 1. The campaign on disk (kept: writing 150k files takes longer than ingesting them).
    long start = System.nanoTime();
    Path campaignRoot = campaignRoot(config, raws);
    SyntheticRaws.IndexedCampaign campaign = campaign(raws, FIRST_NIGHT, campaignRoot, out);
    String topic = "bench.ingest." + id + "." + Topics.RUCIO_REPLICAS;
    List<ProducerRecord<String, String>> events = records(topic, events(campaign, campaignRoot, scope));
    String warmupScope = scope + "_warmup";
    Path warmupRoot = work.resolve("warmup-" + warmup);
    SyntheticRaws.IndexedCampaign warmupCampaign = warmup == 0 ? null
        : campaign(warmup, WARMUP_FIRST_NIGHT, warmupRoot, out);
    List<ProducerRecord<String, String>> warmupEvents = warmup == 0 ? List.of()
        : records(topic, events(warmupCampaign, warmupRoot, warmupScope));
    out.printf("campaign %s: %,d raws in %,d exposures (%,d science raws), %,d replica events ready in %.1f s%n",
        config.projectRoot().relativize(campaignRoot), campaign.raws(), campaign.exposures(), campaign.scienceRaws(),
        events.size(), (System.nanoTime() - start) / 1e9);
    out.flush();

    // 2. A new repository with the instrument, and a manifest that sends the bench's scope to it.
    String seed = "registry:\n  db: " + config.dbUrl().display() + "\n  namespace: " + repo + "\n";
    CatalogClient.CreateOutcome created = client.createRepository(repo, seed, true, Optional.empty());
    if (!(created instanceof CatalogClient.CreateOutcome.Created)) {
      throw new CliException("cannot create repository " + repo + ": " + created);
    }
    client.post(CatalogClient.repositoryPath(repo, "register-instrument"),
        Map.of("instrument", "lsst.obs.lsst.LsstComCam"));
    Path manifest = work.resolve("manifest-" + id + ".yaml");
    Files.writeString(manifest, manifest(repo, seed, scope, warmupScope));
    ManifestReader.read(manifest);
    out.printf("repository %s created; manifest %s%n", repo, config.projectRoot().relativize(manifest));
    out.flush();

    Map<String, Integer> topics = new java.util.LinkedHashMap<>();
    for (String name : List.of(Topics.RUCIO_REPLICAS, Topics.RUCIO_DATASETS, Topics.BUTLER_INGESTED)) {
      topics.put("bench.ingest." + id + "." + name, Topics.all().get(name));
      topics.put("bench.ingest." + id + "." + name + Topics.DLQ_SUFFIX, 1);
    }
    KafkaBrokerProcess.createTopics(bootstrap, topics, config.timeout());

    Ingest ingest;
    Process service = null;
    Path log = config.logsDir().resolve("bench-ingest-service.log");
    try {
      deleteLedgerRows(db, scope, warmupScope);
      service = startService(config, db, ingestJar, manifest, repo, id, log);
      awaitAssigned(bootstrap, "bench-ingest-" + id, topic, service, log);
      out.printf("ingest-service pid %d consuming %s (log %s)%n", service.pid(), topic,
          config.projectRoot().relativize(log));
      out.flush();

      // 3. The warm-up, untimed; then the end-to-end measurement.
      if (warmup > 0) {
        Ingest warm = publishAndAwait(db, bootstrap, warmupEvents, warmupScope, warmupCampaign.raws(),
            "bench.ingest." + id + ".", service, log, out);
        out.printf("warm-up: %,d raws in %,d exposures of other nights in %.2f s (not part of the figures)%n",
            warm.ingested(), warmupCampaign.exposures(), warm.elapsed().toNanos() / 1e9);
        out.flush();
      }
      ingest = publishAndAwait(db, bootstrap, events, scope, campaign.raws(), "bench.ingest." + id + ".", service,
          log, out);
    } finally {
      if (service != null) {
        ProcessControl.terminate(service.toHandle(), Duration.ofSeconds(20));
      }
      deleteLedgerRows(db, scope, warmupScope);
      KafkaBrokerProcess.deleteTopics(bootstrap, topics.keySet(), config.timeout());
    }
    long registered = countRows(db, repo + ".dataset");
    out.printf("ingest: %,d raws in the registry (%,d rejected) in %.2f s from the first event to the last commit:"
        + " %,.0f raws/s; %,d events published in %.2f s%n", ingest.ingested(), ingest.rejected(),
        ingest.elapsed().toNanos() / 1e9, ingest.rawsPerSecond(), events.size(), ingest.published().toNanos() / 1e9);
    out.flush();
    int expected = campaign.raws() + (warmup == 0 ? 0 : warmupCampaign.raws());
    if (ingest.ingested() != campaign.raws() || registered != expected) {
      throw new CliException("only " + ingest.ingested() + " of " + campaign.raws() + " raws were ingested ("
          + registered + " in " + repo + ", warm-up included); see " + log);
    }

    lastIngest = ingest;
  }

  /** A campaign under {@code root}: written once for a given size, then found there by its marker. */
  private static SyntheticRaws.IndexedCampaign campaign(int raws, LocalDate firstNight, Path root, PrintWriter out)
      throws IOException {
    Path marker = root.resolve("campaign.properties");
    String expected = "raws=" + raws + "\nseed=" + SEED + "\nfirst-night=" + firstNight + "\n";
    if (Files.isRegularFile(marker) && Files.readString(marker).equals(expected)) {
      out.println("reusing the campaign written earlier under " + root);
      return SyntheticRaws.indexed(raws, SEED, dataRoot(root), firstNight);
    }
    Folders.deleteTree(root);
    long start = System.nanoTime();
    SyntheticRaws.IndexedCampaign campaign = SyntheticRaws.writeIndexed(raws, SEED, root, firstNight);
    Files.writeString(marker, expected);
    out.printf("wrote %,d exposure folders in %.1f s%n", campaign.exposures(), (System.nanoTime() - start) / 1e9);
    return campaign;
  }

  private static List<ProducerRecord<String, String>> records(String topic, List<ReplicaEvent> events) {
    return events.stream().map(e -> new ProducerRecord<>(topic, e.key(), EventJson.write(e))).toList();
  }

  /** The URI the campaign's folders are under, as {@link SyntheticRaws#writeIndexed} makes it. */
  private static String dataRoot(Path root) {
    String uri = io.autobutler.core.datastore.DatastoreFiles.text(root.toAbsolutePath().toUri());
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  /**
   * One replica event per file, as the watcher announces a landed campaign: a Rucio dataset per night
   * ({@code Dataset/LSSTComCam/raw/<day_obs>}), each exposure's raws then its {@code _index.json} (name order).
   */
  private static List<ReplicaEvent> events(SyntheticRaws.IndexedCampaign campaign, Path root, String scope)
      throws IOException {
    String prefix = dataRoot(root) + "/";
    Instant now = Instant.now();
    List<ReplicaEvent> events = new ArrayList<>(campaign.raws() + campaign.exposures());
    for (SyntheticRaws.ExposureFolder folder : campaign.folders()) {
      String relative = folder.uri().substring(prefix.length());
      String dataset = RULE_DATASETS + relative.substring(0, relative.indexOf('/'));
      List<String> files = new ArrayList<>(folder.raws().keySet());
      files.add(IndexFile.NAME);
      for (String file : files) {
        Path path = Path.of(URI.create(folder.uri() + file));
        byte[] content = Files.readAllBytes(path);
        Adler32 adler = new Adler32();
        adler.update(content);
        events.add(new ReplicaEvent(scope, "LSSTComCam/raw/" + relative + file, RSE, folder.uri() + file,
            (long) content.length, String.format("%08x", adler.getValue()), scope, dataset, "raw_file", null, "poll",
            now));
      }
    }
    return events;
  }

  /** One ingest-raws rule for the measured scope and the warm-up's. */
  private static String manifest(String repo, String seed, String scope, String warmupScope) {
    return "manifest-version: 1\n"
        + "name: bench-ingest\n"
        + "repository:\n"
        + "  name: " + repo + "\n"
        + "  seed:\n"
        + seed.lines().map(line -> "    " + line + "\n").reduce("", String::concat)
        + "rucio: {rse: " + RSE + ", scopes: [" + scope + ", " + warmupScope + "]}\n"
        + "rules:\n"
        + "  - name: comcam-raws\n"
        + "    match: {scope: '" + scope + "*', dataset: '" + RULE_DATASETS + "*'}\n"
        + "    action: ingest-raws\n"
        + "    instrument: " + SyntheticRaws.INSTRUMENT + "\n"
        + "    run: " + SyntheticRaws.RUN + "\n"
        // raws only: the floor has no visits to load either
        + "    define-visits: false\n";
  }

  /**
   * An ingest-service of the bench's own: the stack's database and Kafka, a free port, a consumer group and topics
   * of this run only (the stack's ingest-service and catalog-service never see the bench's events or summaries).
   */
  private Process startService(StackConfig config, Database db, Path jar, Path manifest, String repo, String id,
                               Path log) throws IOException, InterruptedException {
    int port = freePort();
    String topics = "bench.ingest." + id + ".";
    List<String> command = new ArrayList<>(List.of(ProcessControl.javaExecutable().toString(),
        "-Dquarkus.http.port=" + port,
        "-Dautobutler.ingest.manifest=" + manifest.toAbsolutePath(),
        "-Dautobutler.ingest.repository=" + repo,
        "-Dautobutler.ingest.progress-interval=5s",
        "-Dkafka.group.id=bench-ingest-" + id,
        "-Dmp.messaging.incoming.replicas.topic=" + topics + Topics.RUCIO_REPLICAS,
        "-Dmp.messaging.incoming.replicas.group.id=bench-ingest-" + id,
        "-Dmp.messaging.incoming.datasets.topic=" + topics + Topics.RUCIO_DATASETS,
        "-Dmp.messaging.incoming.datasets.group.id=bench-ingest-" + id + "-datasets",
        "-Dmp.messaging.outgoing.ingested.topic=" + topics + Topics.BUTLER_INGESTED,
        "-Dmp.messaging.outgoing.replicas-dlq.topic=" + topics + Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX,
        "-Dmp.messaging.outgoing.datasets-dlq.topic=" + topics + Topics.RUCIO_DATASETS + Topics.DLQ_SUFFIX,
        "-jar", jar.toString()));
    return startJar(config, db, command, port, "ingest-service", log);
  }

  /**
   * Starts a service jar of the bench's own on the stack's Kafka and database and waits until it answers at
   * {@code port}; one that exits or does not answer in time is a {@link CliException} naming its log.
   */
  static Process startJar(StackConfig config, Database db, List<String> command, int port, String name, Path log)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap());
    pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
    pb.environment().put("QUARKUS_DATASOURCE_USERNAME", db.user());
    pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", db.password());
    Process process = pb.start();
    String url = "http://127.0.0.1:" + port + "/q/health/live";
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + config.timeout().toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new CliException("the bench " + name + " exited during startup; see " + log
            + System.lineSeparator() + ProcessControl.tail(log, 20));
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return process;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    ProcessControl.terminate(process.toHandle(), Duration.ofSeconds(20));
    throw new CliException("the bench " + name + " did not answer at " + url + "; see " + log);
  }

  /** Waits until the service's consumer owns every partition, so that the timing has no group join in it. */
  private static void awaitAssigned(String bootstrap, String group, String topic, Process service, Path log)
      throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
          .partitions().size();
      long deadline = System.currentTimeMillis() + 120_000;
      while (System.currentTimeMillis() < deadline) {
        if (!service.isAlive()) {
          throw new CliException("the bench ingest-service exited; see " + log + System.lineSeparator()
              + ProcessControl.tail(log, 20));
        }
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
            .get(30, TimeUnit.SECONDS).get(group);
        long assigned = description.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
            .filter(p -> p.topic().equals(topic)).count();
        if (assigned == partitions) {
          return;
        }
        Thread.sleep(200);
      }
    }
    throw new CliException("the bench ingest-service's consumer did not join group " + group + "; see " + log);
  }

  /** What the end-to-end run measured. */
  private record Ingest(long ingested, long rejected, Duration elapsed, Duration published) {

    double rawsPerSecond() {
      return ingested / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }
  }

  /**
   * Publishes every event, then follows what the service says it did — its {@code butler.ingested} summaries and
   * dead letters, read from Kafka so that watching costs the database nothing — and, once they account for every
   * raw, reads the replica ledger until every event is settled. Start and end are both read on the database's
   * clock: the first event is sent right after {@code clock_timestamp()}, the end is the last {@code settled_at}.
   */
  private Ingest publishAndAwait(Database db, String bootstrap, List<ProducerRecord<String, String>> events,
                                 String scope, int raws, String topicPrefix, Process service, Path log,
                                 PrintWriter out) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
    String summaries = topicPrefix + Topics.BUTLER_INGESTED;
    String deadLetters = topicPrefix + Topics.RUCIO_REPLICAS + Topics.DLQ_SUFFIX;
    try (Connection c = db.connect();
         KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
             new StringSerializer());
         KafkaConsumer<String, String> outcomes = outcomeConsumer(bootstrap, List.of(summaries, deadLetters))) {
      // connections and metadata ready before the clock starts
      producer.partitionsFor(events.get(0).topic());
      OffsetDateTime first;
      try (PreparedStatement ps = c.prepareStatement("SELECT clock_timestamp()"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        first = rs.getObject(1, OffsetDateTime.class);
      }
      long sendStart = System.nanoTime();
      for (ProducerRecord<String, String> event : events) {
        producer.send(event);
      }
      producer.flush();
      Duration published = Duration.ofNanos(System.nanoTime() - sendStart);

      // Summaries may repeat (at-least-once), so they only say when to look at the ledger, which is exact.
      String sourcePrefix = scope + ":";
      long reported = 0;
      long refused = 0;
      long lastReported = -1;
      long lastChange = System.currentTimeMillis();
      long lastPrint = System.currentTimeMillis();
      while (reported + refused < raws) {
        for (ConsumerRecord<String, String> record : outcomes.poll(Duration.ofMillis(500))) {
          if (record.topic().equals(deadLetters)) {
            refused++;
          } else {
            IngestedEvent summary = EventJson.read(record.value(), IngestedEvent.class);
            if (summary.sourceDid().startsWith(sourcePrefix)) {
              reported += summary.count();
            }
          }
        }
        if (reported + refused != lastReported) {
          lastReported = reported + refused;
          lastChange = System.currentTimeMillis();
        } else if (System.currentTimeMillis() - lastChange > stallTimeout * 1000L) {
          throw new CliException("ingest stalled at " + reported + " of " + raws + " raws ingested (" + refused
              + " dead letters) for " + stallTimeout + " s; see " + log + System.lineSeparator()
              + ProcessControl.tail(log, 20));
        }
        if (!service.isAlive()) {
          throw new CliException("the bench ingest-service exited; see " + log + System.lineSeparator()
              + ProcessControl.tail(log, 20));
        }
        if (System.currentTimeMillis() - lastPrint >= 5000) {
          out.printf("  %,d of %,d raws ingested%n", reported, raws);
          out.flush();
          lastPrint = System.currentTimeMillis();
        }
      }
      return awaitSettled(c, scope, events.size(), first, published, service, log);
    }
  }

  /** Reads the ledger (its summaries are sent before it is settled) until every event of the scope is settled. */
  private Ingest awaitSettled(Connection c, String scope, int events, OffsetDateTime first, Duration published,
                              Process service, Path log) throws Exception {
    String sql = "SELECT count(*) FILTER (WHERE state <> 'pending'),"
        + " count(*) FILTER (WHERE state = 'ingested' AND dataset_id IS NOT NULL),"
        + " count(*) FILTER (WHERE state IN ('rejected', 'skipped')), max(settled_at)"
        + " FROM " + INDEX_SCHEMA + ".replica WHERE scope = ?";
    long deadline = System.currentTimeMillis() + stallTimeout * 1000L;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, scope);
      while (true) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == events) {
            return new Ingest(rs.getLong(2), rs.getLong(3),
                Duration.between(first, rs.getObject(4, OffsetDateTime.class)), published);
          }
          if (System.currentTimeMillis() > deadline || !service.isAlive()) {
            throw new CliException("only " + rs.getLong(1) + " of " + events + " replica events were settled; see "
                + log + System.lineSeparator() + ProcessControl.tail(log, 20));
          }
        }
        Thread.sleep(200);
      }
    }
  }

  /** A consumer of these topics that reads only what comes after now. */
  private static KafkaConsumer<String, String> outcomeConsumer(String bootstrap, List<String> topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve the end now, before anything is published
    return consumer;
  }

  /**
   * Deletes the bench's rows from the replica ledger and vacuums it: where autovacuum is off (as on the build
   * machines), the dead rows of earlier runs would otherwise slow every later run's ledger statements.
   */
  private static void deleteLedgerRows(Database db, String... scopes) throws SQLException {
    try (Connection c = db.connect();
         PreparedStatement ps = c.prepareStatement("DELETE FROM " + INDEX_SCHEMA + ".replica WHERE scope = ?");
         PreparedStatement vacuum = c.prepareStatement("VACUUM ANALYZE " + INDEX_SCHEMA + ".replica")) {
      for (String scope : scopes) {
        ps.setString(1, scope);
        ps.executeUpdate();
      }
      vacuum.execute();
    } catch (SQLException e) {
      if (!"42P01".equals(e.getSQLState())) { // no ledger yet: nothing to delete
        throw e;
      }
    }
  }

  private static long countRows(Database db, String table) throws SQLException {
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
