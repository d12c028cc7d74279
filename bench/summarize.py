"""Turns BenchmarkDotNet's JSON reports into artifacts/bench/summary.json and a ratio table (summary.md).

Scenarios with a floor row (the least any CORS layer can cost: CorsKit's answer sent from precomputed headers) get a
line under the table: CorsKit's cost over no CORS as a multiple of the floor's cost over no CORS, and CorsKit's time
as a ratio to Microsoft's and to the floor's. Scenarios with a CorsKitListened row (CorsKit with its meter listened to)
get a line with that row's time as a ratio to CorsKit's (nothing listening), Microsoft's and no CORS.

A row measured in several rounds (bench/run.sh --rounds N, one RESULTS_DIR per round, in round order) reports the mean
of the rounds' means and the median of their medians, with every round's mean in roundMeansNs and how many rounds had
it in rounds (a warning is printed when that is fewer than all).

usage: summarize.py RESULTS_DIR... SUMMARY_JSON SUMMARY_MD
"""
import glob
import json
import os
import statistics
import sys

# Benchmark classes that measure a part, not a CORS scenario: BenchmarkDotNet's own table reports them.
NON_SCENARIOS = ("OriginSourceLookupBenchmark",)
IMPLEMENTATIONS = ("None", "Microsoft", "CorsKit", "Floor", "CorsKitListened", "CorsKitUntenanted", "CorsKitStatic",
                   "CorsKitStaticNoRedis")


def scenario_name(benchmark):
    name = benchmark["Type"]
    if name.endswith("Benchmark"):
        name = name[: -len("Benchmark")]
    return f"{name}({benchmark['Parameters']})" if benchmark["Parameters"] else name


def load(results_dirs):
    rounds = {}
    for results_dir in results_dirs:
        for row in load_round(results_dir):
            rounds.setdefault((row["scenario"], row["implementation"]), []).append(row)
    rows = []
    for (scenario, implementation), measured in rounds.items():
        if len(measured) < len(results_dirs):
            # Its mean is over fewer rounds than the other rows', so the drift between rounds skews its ratios.
            print(f"warning: {scenario} {implementation} has results in {len(measured)} of {len(results_dirs)} rounds",
                  file=sys.stderr)
        rows.append({
            "scenario": scenario,
            "implementation": implementation,
            "meanNs": round(statistics.mean(r["meanNs"] for r in measured), 2),
            "medianNs": round(statistics.median(r["medianNs"] for r in measured), 2),
            "allocatedBytes": max(r["allocatedBytes"] for r in measured),
            "rounds": len(measured),
            "roundMeansNs": [r["meanNs"] for r in measured],
        })
    return rows


def load_round(results_dir):
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


def only_measured_non_scenarios(results_dirs):
    """Whether the reports hold benchmarks, every one of a class that is not a CORS scenario, and every one measured."""
    benchmarks = []
    for results_dir in results_dirs:
        for path in glob.glob(os.path.join(results_dir, "*-report-full.json")):
            if not os.path.basename(path).startswith("BenchmarkRun-joined"):
                with open(path, encoding="utf-8") as f:
                    benchmarks += json.load(f)["Benchmarks"]
    return bool(benchmarks) and all(b["Type"] in NON_SCENARIOS and b.get("Statistics") for b in benchmarks)


def table(rows):
    by = {}
    for r in rows:
        by.setdefault(r["scenario"], {})[r["implementation"]] = r
    lines = [
        "| scenario | None ns | Microsoft ns | CorsKit ns | Floor ns | CorsKit/Microsoft | CorsKit/None | alloc None | alloc Microsoft | alloc CorsKit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario, impl in by.items():
        def mean(i):
            return impl[i]["meanNs"] if i in impl else None

        def alloc(i):
            return "-" if i not in impl else f"{impl[i]['allocatedBytes']} B"

        lines.append(
            f"| {scenario} | {fmt(mean('None'))} | {fmt(mean('Microsoft'))} | {fmt(mean('CorsKit'))} | {fmt(mean('Floor'))} "
            f"| {ratio(mean('CorsKit'), mean('Microsoft'))} | {ratio(mean('CorsKit'), mean('None'))} "
            f"| {alloc('None')} | {alloc('Microsoft')} | {alloc('CorsKit')} |")
    statics = [static_line(scenario, impl) for scenario, impl in by.items() if "CorsKitStatic" in impl]
    if statics:
        lines += ["", "An origin source's local copy, per tenant (CorsKit) and without tenants (CorsKitUntenanted), against the "
                  "same origin listed statically, in the same surroundings (CorsKitStatic) and in an app without Redis "
                  "(CorsKitStaticNoRedis); means, medians in brackets:", ""]
        lines += [f"- {line}" for line in statics]
    floors = [floor_line(scenario, impl) for scenario, impl in by.items() if "Floor" in impl]
    if floors:
        lines += ["", "Against the floor (a hand-written middleware sending CorsKit's answer from precomputed headers):", ""]
        lines += [f"- {line}" for line in floors]
    listened = [listened_line(scenario, impl) for scenario, impl in by.items() if "CorsKitListened" in impl]
    if listened:
        lines += ["", "With CorsKit's meter listened to (a MeterListener on every CorsKit instrument):", ""]
        lines += [f"- {line}" for line in listened]
    return "\n".join(lines) + "\n"


def listened_line(scenario, impl):
    """CorsKit with its meter listened to, against CorsKit with nothing listening, Microsoft and no CORS."""
    mean = {i: r["meanNs"] for i, r in impl.items()}
    listened = mean["CorsKitListened"]
    parts = [f"{scenario}: listened {fmt(listened)} ns, {impl['CorsKitListened']['allocatedBytes']} B"]
    for other, label in (("CorsKit", "CorsKit not listened to"), ("Microsoft", "Microsoft"), ("None", "no CORS")):
        if other in mean:
            parts.append(f"listened / {label} **{ratio(listened, mean[other])}**")
    return "; ".join(parts)


def fmt(v):
    return "-" if v is None else f"{v:,.0f}"


def ratio(a, b):
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def static_line(scenario, impl):
    """Each source row (tenant by host, no tenant) against each static row (same surroundings, plain app)."""
    sources = [(r, label) for r, label in (("CorsKit", "source per tenant"), ("CorsKitUntenanted", "source without tenants")) if r in impl]
    statics = [(r, label) for r, label in (("CorsKitStatic", "static"), ("CorsKitStaticNoRedis", "static without Redis")) if r in impl]
    parts = [", ".join(f"{label} {fmt(impl[r]['meanNs'])} ns [{fmt(impl[r]['medianNs'])}] ({impl[r]['allocatedBytes']} B)"
                       for r, label in sources + statics)]
    parts += [f"**{s_label} / {t_label} {ratio(impl[s]['meanNs'], impl[t]['meanNs'])}** [{ratio(impl[s]['medianNs'], impl[t]['medianNs'])}]"
              for s, s_label in sources for t, t_label in statics]
    return f"{scenario}: " + "; ".join(parts)


def floor_line(scenario, impl):
    """CorsKit's cost over no CORS as a multiple of the floor's, and CorsKit's time against Microsoft's and the floor's."""
    mean = {i: r["meanNs"] for i, r in impl.items()}
    corskit, floor = mean.get("CorsKit"), mean["Floor"]
    parts = [f"{scenario}: floor {fmt(floor)} ns"]
    if corskit is not None and "None" in mean:
        none = mean["None"]
        corskit_adds, floor_adds = corskit - none, floor - none
        if floor_adds > 0:
            parts.append(f"CorsKit adds {corskit_adds:,.0f} ns over no CORS, the floor {floor_adds:,.0f} ns: "
                         f"**CorsKit adds {corskit_adds / floor_adds:.1f}x what the floor adds**")
        else:
            # A preflight answered before routing costs less than the no-CORS app's 405, which routes and runs an endpoint.
            parts.append(f"the floor costs {-floor_adds:,.0f} ns less than no CORS (it answers before routing), so there is "
                         f"no added cost to compare; CorsKit adds {corskit_adds:,.0f} ns over no CORS")
    if corskit is not None:
        parts.append(f"CorsKit / floor {ratio(corskit, floor)}")
        if "Microsoft" in mean:
            parts.append(f"CorsKit / Microsoft **{ratio(corskit, mean['Microsoft'])}**")
    return "; ".join(parts)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    results_dirs, (summary_json, summary_md) = sys.argv[1:-2], sys.argv[-2:]
    rows = load(results_dirs)
    if not rows:
        if not only_measured_non_scenarios(results_dirs):
            sys.exit(f"no measured CORS scenario rows in {' '.join(results_dirs)}")
        print(f"only benchmarks that are not CORS scenarios ({', '.join(NON_SCENARIOS)}) ran: {summary_json} and "
              f"{summary_md} are left as they were; BenchmarkDotNet's tables are above (and in bdn.log)")
        return
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
