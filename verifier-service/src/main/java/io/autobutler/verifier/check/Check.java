package io.autobutler.verifier.check;

import java.util.List;

import io.autobutler.core.verify.VerificationReport;

/** One of the verifier's checks: reads its sources and returns one report per subject. */
public interface Check {

  /** The check's name ({@link io.autobutler.core.verify.Checks}). */
  String name();

  /** The checks whose reports it gives (usually just its own). */
  default List<String> checks() {
    return List.of(name());
  }

  /** The reports of one run; an empty list when the check does not apply (no manifest, nothing configured). */
  List<VerificationReport> run(CheckContext context) throws Exception;
}
