#!/usr/bin/env bash
# The whole test run, as the README's `npm ci && npm test` and .ci/run call it:
#   system packages → type-check → lint → unit → integration (PGlite and PostgreSQL 15)
#   → next build → Playwright e2e in Chromium → a scan of the e2e servers' logs for secrets
#   → one summary line.
# Every step runs even when an earlier one fails; the last line is `N passed, N failed[, N skipped]`
# (vitest + Playwright tests; a failed step that is not a test, such as lint, counts as one failure),
# and the exit status is 1 if anything failed.
# Under CI (CI=true) a suite that cannot run for want of a service or of tests is a failure;
# elsewhere it is skipped with the reason printed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ci=false
case "${CI:-}" in true | 1) ci=true ;; esac

reports=tests/.tmp/reports
rm -rf "$reports"
mkdir -p "$reports"
export NEXT_TELEMETRY_DISABLED=1
export npm_config_update_notifier=false

run_started=$SECONDS
step_lines=()  # "name|status|seconds|note" for the summary table
extra_failed=0 # failures that no test report counts (a failed lint, a crashed suite)
extra_skipped=0
test_reports=() # "kind:file" read by the summary

section() {
  printf '\n========================================================================\n'
  printf '  %s\n' "$1"
  printf '========================================================================\n'
}

record() { # name status seconds [note]
  step_lines+=("$1|$2|$3|${4:-}")
  printf -- '--> %s: %s (%ss)%s\n' "$1" "$2" "$3" "${4:+ — $4}"
}

# Runs a step that is not a test suite; a failure counts as one failure.
check_step() { # name command...
  local name=$1 started=$SECONDS
  shift
  section "$name"
  if "$@"; then
    record "$name" passed $((SECONDS - started))
  else
    record "$name" FAILED $((SECONDS - started))
    extra_failed=$((extra_failed + 1))
  fi
}

# Counts from a report: prints "passed failed skipped" (vitest or Playwright JSON).
report_counts() { # kind file
  node -e '
    const [kind, file] = process.argv.slice(1);
    let r;
    try { r = JSON.parse(require("fs").readFileSync(file, "utf8")); } catch { console.log("0 0 0 missing"); process.exit(0); }
    if (kind === "vitest") {
      console.log(r.numPassedTests ?? 0, r.numFailedTests ?? 0, (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0), r.numTotalTests ?? 0);
    } else {
      const s = r.stats ?? {};
      const errors = (r.errors ?? []).length;
      console.log((s.expected ?? 0) + (s.flaky ?? 0), s.unexpected ?? 0, s.skipped ?? 0, errors);
    }
  ' "$1" "$2"
}

# Runs a test suite that writes a JSON report; a non-zero exit with no failed test in the
# report (a crashed setup, a file that does not load) counts as one failure.
test_step() { # name kind report command...
  local name=$1 kind=$2 report=$3 started=$SECONDS status=passed note=""
  shift 3
  section "$name"
  if ! "$@"; then status=FAILED; fi
  test_reports+=("$kind:$report")
  read -r passed failed skipped _rest < <(report_counts "$kind" "$report")
  if [ "$status" = FAILED ] && [ "$failed" -eq 0 ]; then
    extra_failed=$((extra_failed + 1))
    note="the suite failed outside any test (see its output above)"
  fi
  record "$name" "$status" $((SECONDS - started)) "${note:-$passed passed, $failed failed, $skipped skipped}"
}

# A suite that cannot run: a failure under CI, a skip (with the reason) elsewhere.
cannot_run() { # name reason
  section "$1"
  if [ "$ci" = true ]; then
    echo "CI: $2 — a suite that cannot run is a failure under CI."
    record "$1" FAILED 0 "$2"
    extra_failed=$((extra_failed + 1))
  else
    echo "SKIPPED: $2"
    record "$1" skipped 0 "$2"
  fi
}

pass_empty=()
if [ "$ci" != true ]; then pass_empty=(--passWithNoTests); fi

# 1. System packages (Chromium, PostgreSQL 15, Dovecot) -------------------------------------
section "System packages"
started=$SECONDS
if bash scripts/ensure-system-packages.sh; then
  record "System packages" passed $((SECONDS - started))
elif [ "$ci" = true ]; then
  record "System packages" FAILED $((SECONDS - started)) "missing packages could not be installed"
  extra_failed=$((extra_failed + 1))
else
  record "System packages" warning $((SECONDS - started)) "missing packages; the suites that need them are skipped"
fi

# 2–3. Type-check and lint ---------------------------------------------------------------------
check_step "Type-check (tsc --noEmit)" npx tsc --noEmit
check_step "Lint (eslint --max-warnings=0)" npx eslint --max-warnings=0 .

# 4. Unit tests -------------------------------------------------------------------------------
test_step "Unit tests (vitest: unit)" vitest "$reports/unit.json" \
  npx vitest run --project unit "${pass_empty[@]}" --reporter=default --reporter=json --outputFile.json="$reports/unit.json"

# 5. Integration tests on both databases --------------------------------------------------------
postgres_reason=$(npx tsx -e '
  import("./tests/support/postgres-server.ts").then(({ postgresAvailability }) => {
    const a = postgresAvailability();
    process.stdout.write(a.ok ? "" : a.reason);
  });' 2>/dev/null || echo "could not check for the PostgreSQL server binaries")
if [ -n "$postgres_reason" ] && [ "$ci" != true ]; then
  echo
  echo "NOTE: integration-postgres will be SKIPPED: $postgres_reason"
fi
test_step "Integration tests (vitest: integration-pglite + integration-postgres)" vitest "$reports/integration.json" \
  npx vitest run --project 'integration-*' "${pass_empty[@]}" --reporter=default --reporter=json --outputFile.json="$reports/integration.json"
if [ -n "$postgres_reason" ]; then
  if [ "$ci" = true ]; then
    # vitest.config.ts keeps the project under CI, so its set-up has already failed above.
    echo "CI: PostgreSQL unavailable: $postgres_reason"
  else
    # Every integration test that ran on PGlite was skipped on PostgreSQL.
    read -r _p _f _s total < <(report_counts vitest "$reports/integration.json")
    extra_skipped=$((extra_skipped + ${total:-0}))
    record "Integration tests on PostgreSQL" skipped 0 "$postgres_reason"
  fi
fi

# 6. Production build ---------------------------------------------------------------------------
# `npm run build` = the prebuild asset copy (GOV.UK Frontend CSS and assets) + `next build`.
build_ok=false
section "Production build (npm run build → next build)"
started=$SECONDS
if npm run build --silent; then
  build_ok=true
  record "Production build" passed $((SECONDS - started))
else
  record "Production build" FAILED $((SECONDS - started))
  extra_failed=$((extra_failed + 1))
fi

# 7. End-to-end journeys in Chromium -----------------------------------------------------------
chromium_path=${CHROMIUM_PATH:-/usr/bin/chromium}
spec_count=$(find tests/e2e -type f \( -name '*.spec.ts' -o -name '*.spec.tsx' \) 2>/dev/null | wc -l)
if [ "$spec_count" -eq 0 ]; then
  cannot_run "End-to-end tests (Playwright)" "no specs in tests/e2e yet"
elif [ ! -x "$chromium_path" ]; then
  cannot_run "End-to-end tests (Playwright)" "Chromium not found at $chromium_path (apt-get install -y chromium)"
elif [ "$build_ok" != true ]; then
  section "End-to-end tests (Playwright)"
  echo "NOT RUN: the production build failed (counted above)."
  record "End-to-end tests (Playwright)" "not run" 0 "the build failed"
else
  # The servers' output lands in tests/.tmp/e2e-logs (playwright.config.ts): start it empty.
  rm -rf tests/.tmp/e2e-logs
  e2e_ran=true
  test_step "End-to-end tests (Playwright, $spec_count spec files)" playwright "$reports/e2e.json" \
    env PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" CHROMIUM_PATH="$chromium_path" npx playwright test --reporter=list,json
fi

# 8. No password, security number or key in what the e2e servers logged ----------------------
if [ "${e2e_ran:-false}" = true ]; then
  check_step "No secrets in the e2e servers' logs (scripts/scan-e2e-logs.ts)" npx tsx scripts/scan-e2e-logs.ts
else
  record "No secrets in the e2e servers' logs" "not run" 0 "the e2e journeys did not run"
fi

# Summary ----------------------------------------------------------------------------------------
section "Summary"
for line in "${step_lines[@]}"; do
  IFS='|' read -r name status seconds note <<<"$line"
  printf '  %-72s %-8s %5ss  %s\n' "$name" "$status" "$seconds" "$note"
done
total_passed=0
total_failed=$extra_failed
total_skipped=$extra_skipped
for entry in "${test_reports[@]}"; do
  read -r passed failed skipped _rest < <(report_counts "${entry%%:*}" "${entry#*:}")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
done
elapsed=$((SECONDS - run_started))
printf '\n  Total time: %dm%02ds%s\n' $((elapsed / 60)) $((elapsed % 60)) "$([ "$ci" = true ] && echo " (CI)")"
if [ "$extra_failed" -gt 0 ]; then
  echo "  (failed counts $extra_failed failed step(s) that are not single tests: see the table above)"
fi
echo
summary="$total_passed passed, $total_failed failed"
if [ "$total_skipped" -gt 0 ]; then summary="$summary, $total_skipped skipped"; fi
echo "$summary"
if [ "$total_failed" -gt 0 ]; then exit 1; fi
exit 0
