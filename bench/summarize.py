"""Turns BenchmarkDotNet's JSON reports into artifacts/bench/summary.json and a ratio table (summary.md).

usage: summarize.py RESULTS_DIR SUMMARY_JSON SUMMARY_MD
"""
import glob
import json
import os
import sys

IMPLEMENTATIONS = ("None", "Microsoft", "CorsKit")


def scenario_name(benchmark):
    name = benchmark["Type"]
    if name.endswith("Benchmark"):
        name = name[: -len("Benchmark")]
    return f"{name}({benchmark['Parameters']})" if benchmark["Parameters"] else name


def load(results_dir):
    rows = []
    for path in sorted(glob.glob(os.path.join(results_dir, "*-report-full.json"))):
        if os.path.basename(path).startswith("BenchmarkRun-joined"):
            continue
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        for b in report["Benchmarks"]:
            if b["Method"] not in IMPLEMENTATIONS or not b.get("Statistics"):
                continue
            rows.append({
                "scenario": scenario_name(b),
                "implementation": b["Method"],
                "meanNs": round(b["Statistics"]["Mean"], 2),
                "medianNs": round(b["Statistics"]["Median"], 2),
                "allocatedBytes": b["Memory"]["BytesAllocatedPerOperation"],
            })
    return rows


def table(rows):
    by = {}
    for r in rows:
        by.setdefault(r["scenario"], {})[r["implementation"]] = r
    lines = [
        "| scenario | None ns | Microsoft ns | CorsKit ns | CorsKit/Microsoft | CorsKit/None | alloc None | alloc Microsoft | alloc CorsKit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario, impl in by.items():
        def mean(i):
            return impl[i]["meanNs"] if i in impl else None

        def fmt(v):
            return "-" if v is None else f"{v:,.0f}"

        def ratio(a, b):
            return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}"

        def alloc(i):
            return "-" if i not in impl else f"{impl[i]['allocatedBytes']} B"

        lines.append(
            f"| {scenario} | {fmt(mean('None'))} | {fmt(mean('Microsoft'))} | {fmt(mean('CorsKit'))} "
            f"| {ratio(mean('CorsKit'), mean('Microsoft'))} | {ratio(mean('CorsKit'), mean('None'))} "
            f"| {alloc('None')} | {alloc('Microsoft')} | {alloc('CorsKit')} |")
    return "\n".join(lines) + "\n"


def main():
    results_dir, summary_json, summary_md = sys.argv[1:4]
    rows = load(results_dir)
    if not rows:
        sys.exit(f"no BenchmarkDotNet JSON reports in {results_dir}")
    with open(summary_json, "w", encoding="utf-8") as f:
        json.dump(rows, f, indent=2)
        f.write("\n")
    md = table(rows)
    with open(summary_md, "w", encoding="utf-8") as f:
        f.write(md)
    print(md)
    print(f"wrote {summary_json} ({len(rows)} rows) and {summary_md}")


if __name__ == "__main__":
    main()
