"""network2.py's JSON networks in numpy: loaded the way Nielsen's network2.load() loads them, run
through a float64 feedforward over MNIST's 10,000 test images, scored by argmax.
Not the lab's code and not a trainer: an independent reader to check the lab's files against.

    /usr/bin/python3 tests/python/network2_json.py evaluate FILE.json [--data DIR]

prints the number of test images the network gets right (DIR: the MNIST folder, default $BPL_DATA,
else data/mnist next to tests/); `example FILE.json` writes a network made in numpy instead and
prints its count.
"""
import gzip
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# network2.py's cost classes, by the name its save() writes and its load() looks up.
COSTS = ("QuadraticCost", "CrossEntropyCost")
HIDDEN = ("sigmoid", "tanh", "relu", "step")   # the extra key "activation" (absent: sigmoid)
OUTPUT = ("sigmoid", "softmax", "step")        # the extra key "output" (absent: sigmoid)


def data_dir():
    return os.environ.get("BPL_DATA") or os.path.join(ROOT, "data", "mnist")


# ---- MNIST IDX files ----------------------------------------------------------------------------

def read_idx(folder, name):
    """The IDX file `name` in `folder` (plain, else name.gz) as a uint8 array of its shape."""
    path = os.path.join(folder, name)
    if os.path.exists(path):
        with open(path, "rb") as f:
            raw = f.read()
    elif os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            raw = f.read()
    else:
        raise FileNotFoundError(f"{path} (or .gz) not found: run ./build.sh setup or set BPL_DATA")
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    rank = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank))
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank)
    if body.size != int(np.prod(shape)):
        raise ValueError(f"{path}: {body.size} bytes of data for shape {shape}")
    return body.reshape(shape)


def mnist(folder, prefix):
    """(x, labels) of the 't10k' or 'train' set: x (784, n) float64 in [0, 1] (pixel / 255, the
    lab's scaling), one column per image; labels (n,) int."""
    images = read_idx(folder, f"{prefix}-images-idx3-ubyte")
    labels = read_idx(folder, f"{prefix}-labels-idx1-ubyte")
    x = images.reshape(images.shape[0], -1).T.astype(np.float64) / 255.0
    return x, labels.astype(np.int64)


def test_set(folder=None):
    return mnist(folder or data_dir(), "t10k")


# ---- network2.py's JSON -------------------------------------------------------------------------

class Network:
    """What network2.load() builds: sizes, cost, weights[l] (sizes[l+1], sizes[l]), biases[l]
    (sizes[l+1], 1); plus the lab's extras, activation and output."""

    def __init__(self, data):
        self.sizes = data["sizes"]
        self.cost = data["cost"]
        # Exactly network2.load(): one np.array per layer, from the nested lists as they are.
        self.weights = [np.array(w) for w in data["weights"]]
        self.biases = [np.array(b) for b in data["biases"]]
        self.activation = data.get("activation", "sigmoid")
        self.output = data.get("output", "sigmoid")
        self.note = data.get("note")
        self.check()

    def check(self):
        """What network2.py needs to run the file: its cost class, and the shapes its
        feedforward multiplies (biases as columns, as b.tolist() wrote them)."""
        if self.cost not in COSTS:
            raise ValueError(f"cost {self.cost!r}: network2.py has only {COSTS}")
        if self.activation not in HIDDEN or self.output not in OUTPUT:
            raise ValueError(f"activation {self.activation!r} / output {self.output!r} unknown")
        L = len(self.sizes) - 1
        if len(self.weights) != L or len(self.biases) != L:
            raise ValueError(f"sizes {self.sizes} need {L} weight and bias layers")
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            n_in, n_out = self.sizes[l], self.sizes[l + 1]
            if w.shape != (n_out, n_in):
                raise ValueError(f"weights[{l}] has shape {w.shape}, expected {(n_out, n_in)}")
            if b.shape != (n_out, 1):
                raise ValueError(f"biases[{l}] has shape {b.shape}, expected {(n_out, 1)}")


def load(filename):
    """network2.load(filename): json.load, then np.array per layer."""
    with open(filename, "r") as f:
        data = json.load(f)
    return Network(data)


def save(net_data, filename):
    """network2.save(): json.dump of sizes, w.tolist(), b.tolist() and the cost's name.
    net_data: {"sizes", "weights": [ndarray], "biases": [ndarray (n, 1)], "cost", ...extras}."""
    data = dict(net_data)
    data["weights"] = [w.tolist() for w in net_data["weights"]]
    data["biases"] = [b.tolist() for b in net_data["biases"]]
    with open(filename, "w") as f:
        json.dump(data, f)


# ---- float64 feedforward ------------------------------------------------------------------------

def activate(f, z):
    if f == "sigmoid":
        with np.errstate(over="ignore"):      # exp(-z) = inf for z << 0 gives a = 0, as it should
            return 1.0 / (1.0 + np.exp(-z))
    if f == "tanh":
        return np.tanh(z)
    if f == "relu":
        return np.maximum(z, 0.0)
    if f == "step":
        return (z > 0).astype(np.float64)
    if f == "softmax":
        e = np.exp(z - z.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)
    raise ValueError(f"unknown activation {f!r}")


def feedforward(net, a):
    """network2's feedforward, a = f(w a + b) layer by layer, on a (sizes[0], n) matrix of
    column inputs; hidden layers use net.activation (a step network: every layer), the last
    net.output."""
    L = len(net.weights)
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        last = l == L - 1
        f = net.output if last else net.activation
        if net.activation == "step":
            f = "step"
        a = activate(f, np.dot(w, a) + b)
    return a


def correct(net, x, labels):
    """How many columns of x the network classifies as their label (argmax of the output)."""
    return int(np.sum(np.argmax(feedforward(net, x), axis=0) == labels))


def evaluate(filename, folder=None):
    x, labels = test_set(folder)
    return correct(load(filename), x, labels)


# ---- a network made in numpy, for the lab to load --------------------------------------------

def random_features(hidden, activation, folder=None, seed=8):
    """(weights, biases) of a [784, hidden, 10] network nothing like the lab's: a random hidden
    layer, and an output layer fitted by least squares to the one-hot labels of the first 20,000
    training images (argmax of a sigmoid or softmax output is argmax of z). About 70% on test
    with 30 sigmoid neurons, 80% with 100 ReLUs."""
    rng = np.random.default_rng(seed)
    x, labels = mnist(folder or data_dir(), "train")
    x, labels = x[:, :20000], labels[:20000]
    w1 = rng.normal(0.0, 4.0 / np.sqrt(784), (hidden, 784))
    b1 = rng.normal(0.0, 1.0, (hidden, 1))
    h = activate(activation, w1 @ x + b1)
    design = np.vstack([h, np.ones((1, h.shape[1]))]).T              # (n, hidden + 1)
    beta, *_ = np.linalg.lstsq(design, np.eye(10)[labels], rcond=None)  # (hidden + 1, 10)
    return [w1, beta[:-1].T], [b1, beta[-1:].T]


def write_example(filename, folder=None):
    """Saves a numpy-made [784, 30, 10] sigmoid network as network2.save() would and returns the
    number of test images it gets right in float64."""
    weights, biases = random_features(30, "sigmoid", folder)
    save({"sizes": [784, 30, 10], "weights": weights, "biases": biases, "cost": "QuadraticCost"}, filename)
    x, labels = test_set(folder)
    return correct(load(filename), x, labels)


USAGE = """usage: network2_json.py evaluate FILE.json [--data DIR]   print the test images it gets right
       network2_json.py example FILE.json [--data DIR]    write a numpy-made network, print its count"""


def main(argv):
    if len(argv) not in (2, 4) or argv[0] not in ("evaluate", "example") or (len(argv) == 4 and argv[2] != "--data"):
        print(USAGE, file=sys.stderr)
        return 2
    command, filename = argv[:2]
    folder = argv[3] if len(argv) == 4 else None
    try:
        print(evaluate(filename, folder) if command == "evaluate" else write_example(filename, folder))
    except (OSError, ValueError, KeyError) as e:
        print(f"network2_json.py: {filename}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
