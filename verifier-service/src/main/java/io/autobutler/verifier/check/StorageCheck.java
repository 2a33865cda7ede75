package io.autobutler.verifier.check;

import static io.autobutler.verifier.check.CheckContext.item;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.autobutler.core.datastore.DatastoreFiles;
import io.autobutler.core.registry.collections.CollectionQuery;
import io.autobutler.core.replica.ReplicaLedger;
import io.autobutler.core.verify.Checks;
import io.autobutler.core.verify.ReportBuilder;
import io.autobutler.core.verify.Severity;
import io.autobutler.core.verify.VerificationReport;
import io.autobutler.verifier.config.VerifierConfig;

/**
 * Registry ↔ storage, one report per RUN ({@code run:NAME}): every datastore record's file exists with the recorded
 * size (file system for {@code file:}; a PROPFIND {@code Depth: 1} of its folder when the registry has several files
 * there, a HEAD otherwise, for http, https and WebDAV), and its adler32 matches on a sample (all of them on
 * request). And dark data, one report per managed root ({@code root:URI}): the files under it that neither the
 * registry nor the replica ledger (Rucio) knows. Storage requests run on a bounded pool. When a folder cannot be
 * read, or more files than the threshold are missing, the report is an outage and its items are withheld: a
 * storage outage is not reported as 100,000 lost files.
 */
@ApplicationScoped
public class StorageCheck implements Check {

  private static final String ADLER32 = "adler32:";

  private final ReplicaLedger ledger;

  public StorageCheck(ReplicaLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public String name() {
    return Checks.REGISTRY_STORAGE;
  }

  @Override
  public List<String> checks() {
    return List.of(Checks.REGISTRY_STORAGE, Checks.DARK_DATA);
  }

  /** What storage says of one file: its size, or that it is missing, or that it could not be asked. */
  private record Seen(Long size, boolean missing, String unreadable) {
    static final Seen MISSING = new Seen(null, true, null);
  }

  /** A managed root's files as listed, or why it could not be listed. */
  private record Walk(String root, Map<String, Long> files, String unreadable, boolean absent) {
  }

  @Override
  public List<VerificationReport> run(CheckContext context) throws Exception {
    VerifierConfig.Storage settings = context.config().storage();
    DatastoreFiles storage = new DatastoreFiles(settings.bearerToken());
    RegistryFiles files = context.files();
    List<String> roots = settings.managedRoots().filter(r -> !r.isEmpty())
        .orElse(List.of(context.repository().datastoreRoot()));
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.threads()), r -> {
      Thread t = new Thread(r, "verifier-storage");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Walk> walks = new ArrayList<>();
      for (String root : roots) {
        walks.add(walk(storage, pool, root));
      }
      Map<String, Seen> seen = seen(storage, pool, files, walks);
      List<VerificationReport> reports = new ArrayList<>(runs(context, storage, pool, files, seen));
      reports.addAll(dark(context, files, walks));
      return reports;
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------------------------------- storage reads

  /**
   * Lists a managed root whole: a local one in one pass of the file system, a remote one folder by folder (each
   * level's folders in parallel, PROPFIND {@code Depth: 1}).
   */
  private static Walk walk(DatastoreFiles storage, ExecutorService pool, String root) throws InterruptedException {
    Map<String, Long> found = new ConcurrentHashMap<>();
    URI rootUri = DatastoreFiles.asDirectory(URI.create(root));
    if (DatastoreFiles.isLocalUri(rootUri)) {
      try {
        DatastoreFiles.walkLocal(rootUri, f -> found.put(DatastoreFiles.text(f.uri()), f.size()));
        return new Walk(root, found, null, false);
      } catch (IOException e) {
        return new Walk(root, Map.of(), "cannot list " + root + ": " + e.getMessage(),
            e instanceof FileNotFoundException);
      }
    }
    List<URI> level = List.of(rootUri);
    boolean first = true;
    while (!level.isEmpty()) {
      List<Future<List<DatastoreFiles.Entry>>> listings = new ArrayList<>();
      for (URI folder : level) {
        listings.add(pool.submit(() -> storage.list(folder)));
      }
      List<URI> next = new ArrayList<>();
      for (int i = 0; i < listings.size(); i++) {
        try {
          for (DatastoreFiles.Entry entry : listings.get(i).get()) {
            if (entry.directory()) {
              next.add(entry.uri());
            } else {
              found.put(DatastoreFiles.text(entry.uri()), entry.size() == null ? -1L : entry.size());
            }
          }
        } catch (ExecutionException e) {
          boolean absent = e.getCause() instanceof FileNotFoundException;
          if (first || !absent) {
            return new Walk(root, Map.of(), "cannot list " + DatastoreFiles.text(level.get(i)) + ": "
                + e.getCause().getMessage(), first && absent);
          }
          // a folder removed while the walk ran: nothing under it
        }
      }
      first = false;
      level = next;
    }
    return new Walk(root, found, null, false);
  }

  /**
   * What storage says of every registered file: from a managed root's walk when the file lies under one that could
   * be listed, else from a listing of its folder (several registered files there) or a HEAD (one).
   */
  private static Map<String, Seen> seen(DatastoreFiles storage, ExecutorService pool, RegistryFiles files,
                                        List<Walk> walks) throws InterruptedException {
    Map<String, Seen> seen = new HashMap<>();
    Map<String, List<String>> byFolder = new LinkedHashMap<>();
    Set<String> queued = new HashSet<>();
    for (RegistryFiles.File file : files.all()) {
      String uri = file.fileUri();
      if (seen.containsKey(uri) || !queued.add(uri)) {
        continue;
      }
      Walk walk = walks.stream().filter(w -> DatastoreFiles.isUnder(uri, w.root())).findFirst().orElse(null);
      if (walk != null) {
        Long size = walk.files().get(uri);
        seen.put(uri, walk.unreadable() != null ? new Seen(null, false, walk.unreadable())
            : size == null ? Seen.MISSING : new Seen(size < 0 ? null : size, false, null));
      } else {
        byFolder.computeIfAbsent(folder(uri), k -> new ArrayList<>()).add(uri);
      }
    }
    Map<String, Future<Map<String, Seen>>> asked = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> folder : byFolder.entrySet()) {
      List<String> uris = folder.getValue();
      asked.put(folder.getKey(), pool.submit(uris.size() > 1 ? listed(storage, folder.getKey(), uris)
          : headed(storage, uris.get(0))));
    }
    for (Map.Entry<String, Future<Map<String, Seen>>> answer : asked.entrySet()) {
      try {
        seen.putAll(answer.getValue().get());
      } catch (ExecutionException e) {
        for (String uri : byFolder.get(answer.getKey())) {
          seen.put(uri, new Seen(null, false, e.getCause().getMessage()));
        }
      }
    }
    return seen;
  }

  private static Callable<Map<String, Seen>> listed(DatastoreFiles storage, String folder, List<String> uris) {
    return () -> {
      Map<String, Long> sizes = new HashMap<>();
      try {
        for (DatastoreFiles.Entry entry : storage.list(URI.create(folder))) {
          if (!entry.directory()) {
            sizes.put(DatastoreFiles.text(entry.uri()), entry.size() == null ? -1L : entry.size());
          }
        }
      } catch (FileNotFoundException e) {
        // the folder is gone: every file in it is missing
      }
      Map<String, Seen> seen = new HashMap<>();
      for (String uri : uris) {
        Long size = sizes.get(uri);
        seen.put(uri, size == null ? Seen.MISSING : new Seen(size < 0 ? null : size, false, null));
      }
      return seen;
    };
  }

  private static Callable<Map<String, Seen>> headed(DatastoreFiles storage, String uri) {
    return () -> {
      OptionalLong size = storage.size(URI.create(uri));
      return Map.of(uri, size.isEmpty() ? Seen.MISSING : new Seen(size.getAsLong(), false, null));
    };
  }

  private static String folder(String uri) {
    return uri.substring(0, uri.lastIndexOf('/') + 1);
  }

  // ------------------------------------------------------------------------------------------- registry ↔ storage

  private List<VerificationReport> runs(CheckContext context, DatastoreFiles storage, ExecutorService pool,
                                        RegistryFiles files, Map<String, Seen> seen) throws InterruptedException {
    VerifierConfig.Storage settings = context.config().storage();
    Map<String, List<RegistryFiles.File>> byRun = new TreeMap<>();
    files.all().forEach(f -> byRun.computeIfAbsent(f.run(), k -> new ArrayList<>()).add(f));
    List<VerificationReport> reports = new ArrayList<>();
    for (Map.Entry<String, List<RegistryFiles.File>> run : byRun.entrySet()) {
      ReportBuilder report = context.report(Checks.REGISTRY_STORAGE, "run:" + run.getKey());
      List<RegistryFiles.File> candidates = new ArrayList<>();
      long missing = 0;
      long wrongSize = 0;
      List<String> unreadable = new ArrayList<>();
      for (RegistryFiles.File file : run.getValue()) {
        Seen s = seen.get(file.fileUri());
        boolean zipMember = !file.path().equals(file.fileUri());
        if (s.unreadable() != null) {
          unreadable.add(s.unreadable());
        } else if (s.missing()) {
          missing++;
          report.item(Severity.ERROR, item("kind", "missing", "uri", file.path(), "dataset", file.dataset(),
              "dataset_type", file.datasetType()));
        } else if (!zipMember && file.size() != null && s.size() != null && !file.size().equals(s.size())) {
          wrongSize++;
          report.item(Severity.ERROR, item("kind", "wrong-size", "uri", file.path(), "dataset", file.dataset(),
              "recorded", file.size(), "found", s.size()));
        } else if (!zipMember && file.checksum() != null && file.checksum().startsWith(ADLER32)) {
          candidates.add(file);
        }
      }
      long checked = run.getValue().size();
      long[] checksums = checksums(context, storage, pool, report, candidates, unreadable);
      report.count("files", checked).count("missing", missing).count("wrong_size", wrongSize)
          .count("checksums_compared", checksums[0]).count("wrong_checksum", checksums[1])
          .count("unreadable", unreadable.size());
      long bad = missing + unreadable.size();
      boolean overThreshold = bad > settings.missingFloor() && bad > settings.missingThreshold() * checked;
      if (!unreadable.isEmpty() || overThreshold) {
        report.withholdItems().severity(Severity.OUTAGE);
        report.problem(unreadable.isEmpty()
            ? String.format("%d of %d files not found, over the %.0f%% threshold: storage outage suspected, the files"
                + " are not reported lost", bad, checked, settings.missingThreshold() * 100)
            : unreadable.size() + " of " + checked + " files could not be read: " + unreadable.get(0));
      } else {
        if (missing > 0) {
          report.problem(missing + " missing");
        }
        if (wrongSize > 0) {
          report.problem(wrongSize + " with the wrong size");
        }
        if (checksums[1] > 0) {
          report.problem(checksums[1] + " with the wrong adler32");
        }
      }
      reports.add(report.build(context.now(), checked + " files, " + checksums[0] + " checksums compared"));
    }
    return reports;
  }

  /** Compares adler32 on the run's sample (or all, or none); returns {compared, wrong}. */
  private static long[] checksums(CheckContext context, DatastoreFiles storage, ExecutorService pool,
                                  ReportBuilder report, List<RegistryFiles.File> candidates, List<String> unreadable)
      throws InterruptedException {
    List<RegistryFiles.File> chosen = new ArrayList<>(candidates);
    switch (context.checksums()) {
      case NONE -> chosen.clear();
      case SAMPLE -> {
        Collections.shuffle(chosen);
        chosen = chosen.subList(0, Math.min(chosen.size(), context.config().storage().checksumSample()));
      }
      case ALL -> {
        // every candidate
      }
    }
    List<Future<String>> digests = new ArrayList<>();
    for (RegistryFiles.File file : chosen) {
      digests.add(pool.submit(() -> storage.adler32(URI.create(file.fileUri()))));
    }
    long compared = 0;
    long wrong = 0;
    for (int i = 0; i < chosen.size(); i++) {
      RegistryFiles.File file = chosen.get(i);
      try {
        String actual = digests.get(i).get();
        compared++;
        String recorded = file.checksum().substring(ADLER32.length()).toLowerCase(java.util.Locale.ROOT);
        if (Long.parseLong(recorded, 16) != Long.parseLong(actual, 16)) {
          wrong++;
          report.item(Severity.ERROR, item("kind", "wrong-checksum", "uri", file.path(), "dataset", file.dataset(),
              "recorded", file.checksum(), "found", ADLER32 + actual));
        }
      } catch (ExecutionException e) {
        unreadable.add(e.getCause().getMessage());
      } catch (NumberFormatException e) {
        // a recorded checksum that is not hex is not ours to judge here
      }
    }
    return new long[] {compared, wrong};
  }

  // ------------------------------------------------------------------------------------------- dark data

  private List<VerificationReport> dark(CheckContext context, RegistryFiles files, List<Walk> walks)
      throws java.sql.SQLException {
    VerifierConfig.Storage settings = context.config().storage();
    List<Pattern> ignored = settings.darkDataIgnore().stream().map(CollectionQuery::globToRegex).toList();
    Set<String> known = new HashSet<>();
    String rse = context.manifest().map(m -> m.rucio().rse()).orElse(null);
    if (rse != null) {
      ledger.outcomes(rse, o -> known.add(o.pfn()));
    }
    List<VerificationReport> reports = new ArrayList<>();
    for (Walk walk : walks) {
      ReportBuilder report = context.report(Checks.DARK_DATA, "root:" + walk.root());
      if (walk.unreadable() != null) {
        report.severity(Severity.OUTAGE).problem((walk.absent() ? "the root does not exist or is unreachable: "
            : "the root cannot be listed: ") + walk.unreadable());
        report.count("files", 0).count("dark", 0);
        reports.add(report.build(context.now(), null));
        continue;
      }
      long dark = 0;
      for (Map.Entry<String, Long> file : new TreeMap<>(walk.files()).entrySet()) {
        String uri = file.getKey();
        String name = uri.substring(uri.lastIndexOf('/') + 1);
        if (files.registered(uri) || known.contains(uri) || ignored.stream().anyMatch(p -> p.matcher(name).matches())) {
          continue;
        }
        dark++;
        report.item(Severity.WARNING, item("kind", "dark", "uri", uri, "size", file.getValue() < 0 ? null
            : file.getValue()));
      }
      report.count("files", walk.files().size()).count("dark", dark);
      if (dark > 0) {
        report.problem(dark + " files nobody registered");
      }
      reports.add(report.build(context.now(), walk.files().size() + " files under the root"));
    }
    return reports;
  }
}
