"""The peers of cf-bench, each run the straightforward way on the same MovieLens fold with cf-bench's settings.

Usage: python3 bench_peers.py DATA_DIR FOLD RUNS OUT.json

Writes one JSON object per peer: trainer, seconds per step (median of RUNS runs), step name, test RMSE, version.
A peer that cannot run (a missing package, no Java for Spark) is written with "skipped" and the reason.
Run by scripts/bench-peers, which installs the packages in a virtual environment under .build/.
"""
import json
import os
import statistics
import sys
import time


def load(data_dir, fold):
    def read(name):
        rows = []
        with open(os.path.join(data_dir, name)) as f:
            for line in f:
                u, i, r, _ = line.split("\t")
                rows.append((int(u), int(i), float(r)))
        return rows
    return read(f"u{fold}.base"), read(f"u{fold}.test")


def timed(runs, fit):
    """Median seconds per step over `runs` calls of fit(), which returns (steps, seconds of training, test RMSE):
    only training is timed (not the set-up, not the predictions), as cf-bench times it."""
    times, rmse, steps = [], None, 1
    for _ in range(runs):
        steps, seconds, rmse = fit()
        times.append(seconds)
    return statistics.median(times) / steps, rmse


def numpy_als(train, test, runs, k, biased, sweeps=10, lam=0.12):
    import numpy as np
    users = max(u for u, _, _ in train + test) + 1
    items = max(i for _, i, _ in train + test) + 1
    u = np.array([t[0] for t in train]); i = np.array([t[1] for t in train]); r = np.array([t[2] for t in train])
    by_user = [np.flatnonzero(u == x) for x in range(users)]
    by_item = [np.flatnonzero(i == x) for x in range(items)]
    mu = r.mean() if biased else 0.0

    def half(own_index, other_index, fixed, fixed_bias, groups, count):
        n = fixed.shape[1] + (1 if biased else 0)
        out = np.zeros((count, fixed.shape[1])); out_bias = np.zeros(count)
        for row in range(count):
            idx = groups[row]
            if len(idx) == 0:
                continue
            other = other_index[idx]
            x = fixed[other]
            target = r[idx] - mu
            if biased:
                x = np.hstack([x, np.ones((len(idx), 1))])
                target = target - fixed_bias[other]
            a = x.T @ x + lam * len(idx) * np.eye(n)
            w = np.linalg.solve(a, x.T @ target)
            out[row] = w[:fixed.shape[1]]
            if biased:
                out_bias[row] = w[-1]
        return out, out_bias

    def fit():
        rng = np.random.RandomState(42)
        q = 0.1 * rng.rand(items, k); bq = np.zeros(items); bp = np.zeros(users)
        start = time.perf_counter()
        for _ in range(sweeps):
            p, bp = half(u, i, q, bq, by_user, users)
            q, bq = half(i, u, p, bp, by_item, items)
        seconds = time.perf_counter() - start
        pred = np.array([mu + (bp[a] + bq[b] if biased else 0) + p[a] @ q[b] for a, b, _ in test])
        truth = np.array([t[2] for t in test])
        return sweeps, seconds, float(np.sqrt(np.mean((np.clip(pred, 1, 5) - truth) ** 2)))
    return timed(runs, fit)


def numpy_gd(train, test, runs, k=10, alpha=0.003, lam=10.0, iterations=100):
    import numpy as np
    users = max(u for u, _, _ in train + test) + 1
    items = max(i for _, i, _ in train + test) + 1
    y = np.zeros((items, users)); mask = np.zeros((items, users))
    for a, b, v in train:
        y[b, a] = v; mask[b, a] = 1
    counts = mask.sum(axis=1)
    mean = np.where(counts > 0, (y * mask).sum(axis=1) / np.maximum(counts, 1), (y * mask).sum() / mask.sum())
    ynorm = (y - mean[:, None]) * mask

    def fit():
        rng = np.random.RandomState(42)
        x = 0.01 * rng.randn(items, k); theta = 0.01 * rng.randn(users, k)
        start = time.perf_counter()
        for _ in range(iterations):
            e = (x @ theta.T - ynorm) * mask
            gx = e @ theta + lam * x
            gt = e.T @ x + lam * theta
            x -= alpha * gx; theta -= alpha * gt
        seconds = time.perf_counter() - start
        pred = np.array([mean[b] + x[b] @ theta[a] for a, b, _ in test])
        truth = np.array([t[2] for t in test])
        return iterations, seconds, float(np.sqrt(np.mean((np.clip(pred, 1, 5) - truth) ** 2)))
    return timed(runs, fit)


def surprise_fit(train, test, runs, name, **settings):
    from surprise import SVD, SVDpp, Dataset, Reader, accuracy
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".data", delete=False) as f:
        for a, b, v in train:
            f.write(f"{a}\t{b}\t{v}\n")
        path = f.name
    data = Dataset.load_from_file(path, reader=Reader(line_format="user item rating", sep="\t", rating_scale=(1, 5)))
    trainset = data.build_full_trainset()
    testset = [(str(a), str(b), v) for a, b, v in test]
    algorithm = {"SVD": SVD, "SVDpp": SVDpp}[name]

    def fit():
        model = algorithm(random_state=42, **settings)
        start = time.perf_counter()
        model.fit(trainset)
        seconds = time.perf_counter() - start
        return settings["n_epochs"], seconds, accuracy.rmse(model.test(testset), verbose=False)
    result = timed(runs, fit)
    os.unlink(path)
    return result


def spark_als(train, test, runs, k=10, iterations=10):
    from pyspark.sql import SparkSession
    from pyspark.ml.recommendation import ALS
    from pyspark.ml.evaluation import RegressionEvaluator
    spark = (SparkSession.builder.master("local[2]").appName("cf-bench-peer")
             .config("spark.ui.enabled", "false").config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    frame = spark.createDataFrame([(a, b, v) for a, b, v in train], ["user", "item", "rating"]).cache()
    tests = spark.createDataFrame([(a, b, v) for a, b, v in test], ["user", "item", "rating"]).cache()
    frame.count(); tests.count()

    def fit():
        start = time.perf_counter()
        model = ALS(rank=k, maxIter=iterations, regParam=0.1, userCol="user", itemCol="item", ratingCol="rating",
                    coldStartStrategy="drop", seed=42).fit(frame)
        seconds = time.perf_counter() - start
        rmse = RegressionEvaluator(metricName="rmse", labelCol="rating", predictionCol="prediction").evaluate(model.transform(tests))
        return iterations, seconds, rmse
    fit()  # a first run warms up the JVM, as cf-bench's runs are warm
    result = timed(runs, fit)
    spark.stop()
    return result


def implicit_fit(train, runs, kind, use_cg=True, iterations=15):
    """The `implicit` library on the training interactions (every rating is one, as cf-bench's rows): ALS at k=50 with
    confidence 40 on 2 threads, by conjugate gradient (its default) or by its exact Cholesky solve; or BPR at k=50 on
    one thread. Test RMSE does not apply (None)."""
    import numpy as np
    import scipy.sparse as sp
    import threadpoolctl
    users = max(u for u, _, _ in train) + 1
    items = max(i for _, i, _ in train) + 1
    m = sp.csr_matrix((np.ones(len(train), dtype=np.float32), ([t[0] for t in train], [t[1] for t in train])), shape=(users, items))

    def fit():
        with threadpoolctl.threadpool_limits(1, "blas"):   # implicit asks for this: its own threads, not BLAS's
            if kind == "als":
                from implicit.cpu.als import AlternatingLeastSquares
                model = AlternatingLeastSquares(factors=50, regularization=0.1, iterations=iterations, use_cg=use_cg, num_threads=2,
                                                random_state=42, calculate_training_loss=False)
                data = m * 40
            else:
                from implicit.cpu.bpr import BayesianPersonalizedRanking
                model = BayesianPersonalizedRanking(factors=50, learning_rate=0.05, regularization=0.01, iterations=20, num_threads=1,
                                                    random_state=42)
                data = m
            start = time.perf_counter()
            model.fit(data, show_progress=False)
            return (iterations if kind == "als" else 20), time.perf_counter() - start, None
    fit()   # warm-up: implicit compiles nothing, but the first call loads its extension and allocates
    return timed(runs, fit)


def main():
    data_dir, fold, runs, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    train, test = load(data_dir, fold)
    peers = [
        ("numpy ALS biased", "k=50, 10 sweeps, weighted λ 0.12, float64", "sweep", "numpy", lambda: numpy_als(train, test, runs, 50, True)),
        ("numpy ALS", "k=50, 10 sweeps, weighted λ 0.12, float64", "sweep", "numpy", lambda: numpy_als(train, test, runs, 50, False)),
        ("numpy batch GD", "k=10, 100 iterations, dense masked (ex8)", "iteration", "numpy", lambda: numpy_gd(train, test, runs)),
        ("Surprise SVD", "k=100, 20 epochs, lr 0.005, λ 0.02 (defaults)", "epoch", "surprise",
         lambda: surprise_fit(train, test, runs, "SVD", n_factors=100, n_epochs=20, lr_all=0.005, reg_all=0.02)),
        ("Surprise SVDpp", "k=20, 20 epochs, lr 0.007, λ 0.02 (defaults)", "epoch", "surprise",
         lambda: surprise_fit(train, test, 1, "SVDpp", n_factors=20, n_epochs=20, lr_all=0.007, reg_all=0.02)),
        ("Spark MLlib ALS", "k=10, 10 iterations, regParam 0.1, local[2]", "iteration", "pyspark", lambda: spark_als(train, test, 1)),
        ("implicit ALS (CG)", "k=50, 15 iterations, confidence 40, λ 0.1, 3 CG steps, 2 threads", "iteration", "implicit",
         lambda: implicit_fit(train, runs, "als", use_cg=True)),
        ("implicit ALS (Cholesky)", "k=50, 15 iterations, confidence 40, λ 0.1, exact solve, 2 threads", "iteration", "implicit",
         lambda: implicit_fit(train, runs, "als", use_cg=False)),
        ("implicit BPR", "k=50, 20 epochs, lr 0.05, λ 0.01, 1 thread", "epoch", "implicit", lambda: implicit_fit(train, runs, "bpr")),
    ]
    results = []
    for name, settings, step, package, run in peers:
        entry = {"peer": name, "settings": settings, "step": step}
        try:
            module = __import__(package)
            entry["version"] = f"{package} {getattr(module, '__version__', '?')}"
            if package == "pyspark" and not shutil_which("java"):
                raise RuntimeError("no Java on the PATH")
            seconds, rmse = run()
            entry.update({"seconds_per_step": seconds, "rmse_test": rmse})
        except Exception as error:  # a peer that cannot run is reported, never counted as zero
            entry["skipped"] = f"{type(error).__name__}: {error}".split("\n")[0][:200]
        print(json.dumps(entry), flush=True)
        results.append(entry)
    with open(out, "w") as f:
        json.dump(results, f, indent=1)


def shutil_which(name):
    import shutil
    return shutil.which(name)


if __name__ == "__main__":
    main()
