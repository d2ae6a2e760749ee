"""The numpy interop check: networks the CLI trainer exports as network2.py JSON, loaded as
network2.load() loads them and run in float64, get the test count the lab reports (up to a few
ties from float32); a network numpy writes loads into the lab and scores what numpy computes.
Not the CLI's own round trips and bad files (tests/cli/test_cli.sh).

    BPL_BACKPROP=build/native/backprop BPL_DATA=data/mnist /usr/bin/python3 -B -m unittest discover -s tests/python -v
"""
import json
import os
import struct
import subprocess
import tempfile
import unittest

import numpy as np

import network2_json as n2

BACKPROP = os.environ.get("BPL_BACKPROP") or os.path.join(n2.ROOT, "build", "native", "backprop")
TIES = 3   # float32 in the lab, float64 here: a few test images may fall the other way


def backprop(*args):
    """Runs the trainer on $BPL_DATA; returns the last stdout line as JSON (with --json)."""
    run = subprocess.run([BACKPROP, *args, "--data", n2.data_dir()], capture_output=True, text=True,
                         timeout=600)
    if run.returncode != 0:
        raise AssertionError(f"backprop {' '.join(args)} exited {run.returncode}:\n{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def read_bplm(path):
    """The lab's model file (cpp/model_file.hpp), decoded here: (sizes, [w (out, in)], [b (out,)]),
    float32 as stored."""
    with open(path, "rb") as f:
        raw = f.read()
    assert raw[:4] == b"BPLM", f"{path} does not start with BPLM"
    version, _activation, _cost, _reserved, L = struct.unpack_from("<IBBHI", raw, 4)
    assert version == 1
    sizes = list(struct.unpack_from(f"<{L}I", raw, 16))
    (P,) = struct.unpack_from("<Q", raw, 16 + 4 * L)
    p = np.frombuffer(raw, "<f4", P, 24 + 4 * L)
    ws, bs, k = [], [], 0
    for n_in, n_out in zip(sizes, sizes[1:]):
        ws.append(p[k:k + n_in * n_out].reshape(n_in, n_out).T)   # column-major (n_out, n_in)
        k += n_in * n_out
        bs.append(p[k:k + n_out])
        k += n_out
    assert k == P
    return sizes, ws, bs


def bits(a):
    """float32 values as their bits, so that -0.0 != 0.0 and NaNs compare."""
    return np.asarray(a, dtype=np.float32).view(np.uint32)


def significant_digits(text):
    mantissa = text.lower().split("e")[0].lstrip("-").replace(".", "")
    return len(mantissa.lstrip("0").rstrip("0"))


class Interop(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(BACKPROP, os.X_OK):
            raise AssertionError(f"{BACKPROP} is missing: build it (./build.sh native) or set BPL_BACKPROP")
        cls.tmp = tempfile.TemporaryDirectory()
        cls.x, cls.labels = n2.test_set()
        assert cls.x.shape == (784, 10000), cls.x.shape

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def compare(self, what, lab, numpy_count):
        print(f"\n    {what}: lab {lab}, numpy {numpy_count} (difference {lab - numpy_count})", end=" ")
        self.assertLessEqual(abs(lab - numpy_count), TIES, f"{what}: lab {lab}, numpy {numpy_count}")

    # The CLI trains and saves network2.py JSON; numpy loads it and counts.
    def export(self, name, *options):
        path = self.path(name)
        result = backprop("--epochs", "1", "--batch", "10", "--seed", "1", *options, "--save", path, "--json")
        self.assertEqual(result["test_total"], 10000)
        net = n2.load(path)
        return path, net, result["test_correct"], n2.correct(net, self.x, self.labels)

    def test_a_cli_784_30_10_sigmoid_quadratic(self):
        path, net, lab, numpy_count = self.export(
            "n30.json", "--sizes", "784,30,10", "--activation", "sigmoid", "--cost", "quadratic", "--eta", "3")
        self.assertEqual(net.cost, "QuadraticCost")
        self.assertEqual((net.activation, net.output), ("sigmoid", "sigmoid"))
        self.compare("CLI [784,30,10] sigmoid, quadratic, eta 3, 1 epoch", lab, numpy_count)
        self.assertGreater(lab, 9000)

    def test_b_cli_784_100_10_sigmoid_quadratic(self):
        path, net, lab, numpy_count = self.export(
            "n100.json", "--sizes", "784,100,10", "--activation", "sigmoid", "--cost", "quadratic", "--eta", "3")
        self.assertEqual([w.shape for w in net.weights], [(100, 784), (10, 100)])
        self.compare("CLI [784,100,10] sigmoid, quadratic, eta 3, 1 epoch", lab, numpy_count)
        # N(0,1) weights saturate 100 sigmoids (README, What to expect): seed 1 is at 55% after one
        # epoch, far from chance all the same, and saturated outputs are where float32 ties show.
        self.assertGreater(lab, 5000)

    def test_c_cli_tanh_softmax_log_likelihood(self):
        path, net, lab, numpy_count = self.export(
            "tanh.json", "--sizes", "784,30,10", "--activation", "tanh", "--cost", "log-likelihood",
            "--init", "scaled", "--eta", "0.1")
        # network2.load() reads it (a cost class it has); the extras say what it cannot express.
        self.assertEqual(net.cost, "CrossEntropyCost")
        self.assertEqual((net.activation, net.output), ("tanh", "softmax"))
        self.assertIsInstance(net.note, str)
        self.compare("CLI [784,30,10] tanh, softmax + log-likelihood, eta 0.1, 1 epoch", lab, numpy_count)
        self.assertGreater(lab, 9000)

    def test_c_cli_relu_cross_entropy(self):
        path, net, lab, numpy_count = self.export(
            "relu.json", "--sizes", "784,30,10", "--activation", "relu", "--cost", "cross-entropy",
            "--init", "scaled", "--eta", "0.1")
        self.assertEqual(net.cost, "CrossEntropyCost")
        self.assertEqual((net.activation, net.output), ("relu", "sigmoid"))
        self.compare("CLI [784,30,10] relu, sigmoid + cross-entropy, eta 0.1, 1 epoch", lab, numpy_count)
        self.assertGreater(lab, 9000)

    # numpy makes a network, saves it as network2.save() does, the lab evaluates it.
    def test_d_numpy_written_784_30_10_loads_into_the_lab(self):
        path = self.path("numpy30.json")
        numpy_count = n2.write_example(path)
        self.assertGreater(numpy_count, 5000)
        lab = backprop("--load", path, "--evaluate", "--json")["test_correct"]
        self.compare("numpy-written [784,30,10] sigmoid (random hidden layer, least-squares output)",
                     lab, numpy_count)

    def test_d_numpy_written_relu_softmax_with_flat_biases(self):
        weights, biases = n2.random_features(100, "relu")
        data = {"sizes": [784, 100, 10], "weights": weights, "biases": biases, "cost": "CrossEntropyCost",
                "activation": "relu", "output": "softmax"}
        columns, flat = self.path("numpy100.json"), self.path("numpy100-flat.json")
        n2.save(data, columns)
        numpy_count = n2.correct(n2.load(columns), self.x, self.labels)
        self.assertGreater(numpy_count, 5000)
        # Biases as flat lists (b.ravel().tolist()), which the lab reads too.
        n2.save({**data, "biases": [b.ravel() for b in biases]}, flat)
        lab = backprop("--load", flat, "--evaluate", "--json")["test_correct"]
        self.compare("numpy-written [784,100,10] relu, softmax, flat biases", lab, numpy_count)

    # The CLI's JSON back into the lab and out again: the same float32 numbers all the way.
    def test_e_json_to_bplm_to_json_keeps_every_float32(self):
        x_json = self.path("x.json")
        backprop("--sizes", "784,30,10", "--epochs", "1", "--seed", "1", "--save", x_json, "--json")
        y_bplm, z_json = self.path("y.bplm"), self.path("z.json")
        backprop("--load", x_json, "--evaluate", "--save", y_bplm, "--json")
        backprop("--load", y_bplm, "--evaluate", "--save", z_json, "--json")
        x, z = n2.load(x_json), n2.load(z_json)
        sizes, ws, bs = read_bplm(y_bplm)
        self.assertEqual(sizes, x.sizes)
        self.assertEqual(z.sizes, x.sizes)
        for l in range(len(ws)):
            np.testing.assert_array_equal(bits(x.weights[l]), bits(ws[l]), f"weights[{l}] JSON -> BPLM")
            np.testing.assert_array_equal(bits(x.biases[l][:, 0]), bits(bs[l]), f"biases[{l}] JSON -> BPLM")
            np.testing.assert_array_equal(bits(z.weights[l]), bits(ws[l]), f"weights[{l}] BPLM -> JSON")
            np.testing.assert_array_equal(bits(z.biases[l][:, 0]), bits(bs[l]), f"biases[{l}] BPLM -> JSON")
        with open(x_json) as f1, open(z_json) as f2:
            self.assertEqual(f1.read(), f2.read(), "the second JSON is not the same text")

    def test_e_json_numbers_are_the_shortest_float32_text(self):
        path = self.path("short.json")
        backprop("--sizes", "784,30,10", "--epochs", "1", "--seed", "2", "--save", path, "--json")
        texts = []
        with open(path) as f:
            json.load(f, parse_float=lambda s: texts.append(s) or float(s))
        self.assertGreater(len(texts), 23000)
        longer = [t for t in texts if significant_digits(t) >
                  significant_digits(np.format_float_scientific(np.float32(t), unique=True))]
        self.assertEqual(longer[:5], [], f"{len(longer)} of {len(texts)} numbers are longer than needed")


if __name__ == "__main__":
    unittest.main()
