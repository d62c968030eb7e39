"""
Runs checkov and cfn-lint over CloudFormation templates and fails on any finding that is not
suppressed in the template's own metadata with a rule ID and a reason:

- checkov: a failed check fails; a skipped check (Metadata.checkov.skip) must carry a comment.
- cfn-lint: a reported rule fails; a rule ignored in Metadata.cfn-lint.config.ignore_checks must
  have its reason in Metadata.cfn-lint.comments.

Usage: scan_templates.py <scanner bin dir> <template>...
"""
import json
import os
import subprocess
import sys


def checkov(bin_dir, template):
    # --skip-download: no call to the vendor's API; the checks ship with the pinned package.
    run = subprocess.run(
        [os.path.join(bin_dir, "checkov"), "-f", template, "--framework", "cloudformation",
         "-o", "json", "--skip-download"],
        capture_output=True, text=True, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        report = {}
    reports = report if isinstance(report, list) else [report]
    problems, skipped = [], 0
    for part in reports:
        results = part.get("results", {})
        for check in results.get("failed_checks", []):
            problems.append(f"checkov {check['check_id']} on {check['resource']}: {check['check_name']}")
        for check in results.get("skipped_checks", []):
            skipped += 1
            comment = (check.get("check_result", {}).get("suppress_comment") or "").strip()
            if not comment or comment == "No comment provided":
                problems.append(f"checkov {check['check_id']} on {check['resource']} is skipped without a reason")
    if not any("results" in part for part in reports):
        problems.append(f"checkov did not report (exit {run.returncode}): {run.stderr.strip()[-500:]}")
    return problems, skipped


def cfn_lint(bin_dir, template):
    run = subprocess.run([os.path.join(bin_dir, "cfn-lint"), "--format", "json", template], capture_output=True, text=True)
    problems = [f"cfn-lint {m['Rule']['Id']} at {'/'.join(str(p) for p in m['Location']['Path'])}: {m['Message']}"
                for m in json.loads(run.stdout or "[]")]
    with open(template) as f:
        resources = json.load(f).get("Resources", {})
    ignored = 0
    for logical_id, resource in resources.items():
        metadata = resource.get("Metadata", {}).get("cfn-lint", {})
        comments = metadata.get("comments", {})
        for rule in metadata.get("config", {}).get("ignore_checks", []):
            ignored += 1
            if not str(comments.get(rule, "")).strip():
                problems.append(f"cfn-lint {rule} is ignored on {logical_id} without a reason in Metadata.cfn-lint.comments")
    return problems, ignored


def main():
    bin_dir, templates = sys.argv[1], sys.argv[2:]
    failed = False
    for template in templates:
        checkov_problems, skipped = checkov(bin_dir, template)
        lint_problems, ignored = cfn_lint(bin_dir, template)
        problems = checkov_problems + lint_problems
        print(f"{template}: checkov {len(checkov_problems)} unexplained, {skipped} suppressed with a reason; "
              f"cfn-lint {len(lint_problems)} unexplained, {ignored} ignored with a reason")
        for problem in problems:
            print(f"  {problem}")
        failed = failed or bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
