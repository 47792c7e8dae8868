"""
Independent reference for src/models/transformers/bayesian-mixture.ts: sklearn's
BayesianGaussianMixture fitted as the reference CTGAN's data transformer fits it (rdt's
ClusterBasedNormalizer: n_components=min(n, 10), dirichlet_process prior, weight concentration
0.001, other arguments at their defaults), on columns whose values are written into the fixture,
so the TypeScript test fits the very same values without needing python.

usage: /usr/bin/python3 bench/reference/bayesian_mixture.py > fixtures/mixture/sklearn-reference.json
(Debian's python3-sklearn; the fixture was made with sklearn 1.2.1)
"""
import csv
import json
import sys

import warnings

import numpy as np
import sklearn
from sklearn.mixture import BayesianGaussianMixture


def three_normals():
    rng = np.random.default_rng(12)
    parts = [rng.normal(-5, 1, 500), rng.normal(3, 0.5, 300), rng.normal(12, 2, 200)]
    return np.round(np.concatenate(parts), 4)


def single_normal():
    rng = np.random.default_rng(3)
    return np.round(rng.normal(40, 3, 3000), 4)


def csv_column(path, name):
    with open(path, newline="") as f:
        return np.array([float(r[name]) for r in csv.DictReader(f) if r[name] not in ("", "NA")])


COLUMNS = {
    "three_normals": three_normals,
    "single_normal": single_normal,
    "penguins_body_mass": lambda: csv_column("fixtures/penguins/penguins.csv", "Body Mass (g)"),
    "penguins_flipper": lambda: csv_column("fixtures/penguins/penguins.csv", "Flipper Length (mm)"),
    "seattle_temp_max": lambda: csv_column("fixtures/seattle-weather/seattle-weather-2012.csv", "temp_max"),
}


def fit(values, seed):
    gm = BayesianGaussianMixture(
        n_components=min(len(values), 10),
        weight_concentration_prior_type="dirichlet_process",
        weight_concentration_prior=0.001,
        random_state=seed,
    )
    gm.fit(values.reshape(-1, 1))
    keep = gm.weights_ > 0.005
    order = np.argsort(gm.means_[keep, 0])
    return {
        "means": gm.means_[keep, 0][order].tolist(),
        "sds": np.sqrt(gm.covariances_[keep, 0, 0])[order].tolist(),
        "weights": gm.weights_[keep][order].tolist(),
        "converged": bool(gm.converged_),
    }


# sklearn warns when 100 iterations do not converge; the fixture records it per fit instead.
warnings.simplefilter("ignore")
out = {"sklearn": sklearn.__version__, "columns": {}}
for name, make in COLUMNS.items():
    values = make()
    out["columns"][name] = {"values": values.tolist(), "fits": [fit(values, seed) for seed in range(5)]}
json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
