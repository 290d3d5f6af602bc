"""Pairs cf-bench's rows with their peers' and prints one table: trainer, ours, peer, ratio, both test RMSEs.

Usage: python3 bench_table.py OURS.json PEERS.json OUT.md [--update-readme]
"""
import datetime
import json
import os
import platform
import subprocess
import sys

# (what is compared, our row: trainer and a piece of its settings, the peer, the target ratio or None)
PAIRS = [
    ("SGD biased MF, k=100, 20 epochs, 2 threads", "SGD biased MF", "2 threads", "Surprise SVD", 8),
    ("SGD biased MF, k=100, 20 epochs, 1 thread", "SGD biased MF", "1 thread", "Surprise SVD", 5),
    ("SVD++, k=20, 20 epochs", "SGD SVD++", "", "Surprise SVDpp", None),
    ("ALS biased, k=50, weighted λ", "ALS biased", "Float", "numpy ALS biased", 13),
    ("ALS, k=50, weighted λ", "ALS", "k=50", "numpy ALS", 13),
    ("ALS, k=10", "ALS", "k=10", "Spark MLlib ALS", 100),
    ("batch GD, k=10", "batch GD", "", "numpy batch GD", 10),
    ("implicit wALS, k=50, 3 CG steps", "implicit wALS", "CG", "implicit ALS (CG)", 1),
    ("implicit wALS, k=50, exact solve", "implicit wALS", "Cholesky", "implicit ALS (Cholesky)", 1),
    ("BPR-MF, k=50, 1 thread", "BPR-MF", "", "implicit BPR", None),
]


def version(command):
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except Exception:
        return "not found"


def cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def rmse(row):
    """A row's test RMSE, or a dash for implicit-feedback models, which do not predict ratings."""
    value = row.get("rmse_test")
    return "—" if value is None else f"{value:.4f}"


def main():
    ours_path, peers_path, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
    ours = json.load(open(ours_path))
    peers = {p["peer"]: p for p in json.load(open(peers_path))}
    rows = []
    for what, trainer, piece, peer_name, target in PAIRS:
        mine = next((r for r in ours["rows"] if r["trainer"] == trainer and piece in r["settings"]), None)
        peer = peers.get(peer_name, {"skipped": "not run"})
        if mine is None:
            rows.append((what, "not run", peer_name, "", "", "", "", ""))
            continue
        ms = 1000 * mine["seconds_per_step"]
        if "skipped" in peer:
            rows.append((what, f"{ms:.2f} ms/{mine['step']}", peer_name, "skipped: " + peer["skipped"], "", rmse(mine), "", ""))
            continue
        pms = 1000 * peer["seconds_per_step"]
        ratio = pms / ms
        verdict = "" if target is None else (f"≥ {target}×: met" if ratio >= target else f"≥ {target}×: not met")
        rows.append((what, f"{ms:.2f} ms/{mine['step']}", peer_name, f"{pms:.2f} ms/{peer['step']}", f"{ratio:.1f}×",
                     rmse(mine), rmse(peer), verdict))
    header = ("trainer", "ours", "peer", "peer time", "ratio", "RMSE ours", "RMSE peer", "target")
    table = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    table += ["| " + " | ".join(r) + " |" for r in rows]
    versions = {p["peer"]: p.get("version", "") for p in peers.values()}
    notes = [
        f"Measured {datetime.date.today().isoformat()} by `make bench-peers` on one machine in one run: {cpu()}, "
        f"{os.cpu_count()} cores; {version(['swift', '--version'])}; Python {platform.python_version()}, "
        + ", ".join(sorted({v for v in versions.values() if v})) + f"; {version(['java', '-version'])}.",
        "MovieLens 100K, u1.base for training, u1.test for the RMSE; only training is timed, the median of several runs "
        "(Spark: after a warm-up run). Ours: `cf-bench` in release mode, "
        + ("with the core built for any CPU (`CF_PORTABLE=1`, `make bench-portable`)." if "--portable" in sys.argv else "with the default build: the core compiled for this CPU, with fused multiply-adds."),
    ]
    text = "\n".join(table) + "\n\n" + "\n".join(notes) + "\n"
    print("\n" + text)
    with open(out_path, "w") as f:
        f.write(text)
    if "--update-readme" in sys.argv:
        readme = open("README.md").read()
        begin, end = "<!-- bench-peers:begin -->", "<!-- bench-peers:end -->"
        if begin in readme and end in readme:
            head, rest = readme.split(begin, 1)
            _, tail = rest.split(end, 1)
            open("README.md", "w").write(head + begin + "\n" + text + end + tail)
            print("README.md's Performance table updated.")
        else:
            print("README.md has no bench-peers markers; the table is in " + out_path)


if __name__ == "__main__":
    main()
