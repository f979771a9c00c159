"""micrograd.nn from Python: micrograd's Module, Neuron, Layer and MLP on the C++ engine, and the
rest of micrograd.cpp's nn (losses, optimizers, schedules, checkpoints).

Run by ctest (python.nn) with the build tree's package on PYTHONPATH. The demo's points, initial
weights and loss trajectory are in tests/reference/ (micrograd_demo_*.txt).
"""
import os
import random
import tempfile
import unittest
from pathlib import Path

import numpy as np

import micrograd
from micrograd.engine import Value
from micrograd.nn import MLP, Layer, Module, Neuron
import micrograd.nn as nn

REFERENCE = Path(__file__).resolve().parents[1] / "reference"


def demo_data():
    """The notebook's X, y (as numpy arrays, as make_moons returns them) and initial weights."""
    rows = np.loadtxt(REFERENCE / "micrograd_demo_moons.txt")
    X, y = rows[:, :2], rows[:, 2].astype(np.int64)
    weights = np.loadtxt(REFERENCE / "micrograd_demo_init_weights.txt")
    return X, y, weights


class Demo(unittest.TestCase):
    def test_random_seed_gives_micrograds_initial_weights(self):
        _, _, weights = demo_data()
        random.seed(1337)
        model = MLP(2, [16, 16, 1])
        self.assertEqual([p.data for p in model.parameters()], list(weights),
                         "each weight random.uniform(-1, 1) in micrograd's order, biases 0")

    def test_the_model_prints_as_in_the_notebook(self):
        model = MLP(2, [16, 16, 1])
        self.assertEqual(str(model),
                         "MLP of [Layer of [" + ", ".join(["ReLUNeuron(2)"] * 16) + "], Layer of ["
                         + ", ".join(["ReLUNeuron(16)"] * 16) + "], Layer of [LinearNeuron(16)]]")
        self.assertEqual(len(model.parameters()), 337)

    def test_training_follows_the_notebooks_losses_step_by_step(self):
        # The notebook's own loss() and optimization loop, verbatim but for the data's origin.
        X, y, _ = demo_data()
        y = y * 2 - 1 if set(y) == {0, 1} else y
        random.seed(1337)
        model = MLP(2, [16, 16, 1])

        def loss(batch_size=None):
            # inline DataLoader :)
            if batch_size is None:
                Xb, yb = X, y
            else:
                ri = np.random.permutation(X.shape[0])[:batch_size]
                Xb, yb = X[ri], y[ri]
            inputs = [list(map(Value, xrow)) for xrow in Xb]
            # forward the model to get scores
            scores = list(map(model, inputs))
            # svm "max-margin" loss
            losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
            data_loss = sum(losses) * (1.0 / len(losses))
            # L2 regularization
            alpha = 1e-4
            reg_loss = alpha * sum((p*p for p in model.parameters()))
            total_loss = data_loss + reg_loss
            # also get accuracy
            accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
            return total_loss, sum(accuracy) / len(accuracy)

        trajectory = []
        for k in range(100):
            # forward
            total_loss, acc = loss()
            # backward
            model.zero_grad()
            total_loss.backward()
            # update (sgd)
            learning_rate = 1.0 - 0.9*k/100
            for p in model.parameters():
                p.data -= learning_rate * p.grad
            trajectory.append((total_loss.data, acc * 100))

        expected = np.loadtxt(REFERENCE / "micrograd_demo_losses.txt")
        for k, (loss_k, accuracy_k) in enumerate(trajectory):
            self.assertAlmostEqual(loss_k, expected[k, 1], delta=1e-9 * expected[k, 1],
                                   msg=f"step {k}: the notebook printed loss {expected[k, 1]}")
            self.assertEqual(accuracy_k, expected[k, 2], f"step {k}: accuracy")


class CallSemantics(unittest.TestCase):
    def test_one_output_is_a_value_more_are_a_list(self):
        self.assertIsInstance(MLP(3, [4, 1])([1, 2, 3]), Value)
        outputs = MLP(3, [4, 2])([1, 2, 3])
        self.assertIsInstance(outputs, list)
        self.assertEqual(len(outputs), 2)
        self.assertIsInstance(Layer(2, 1)([1.0, 2.0]), Value)
        self.assertEqual(len(Layer(2, 3)([1.0, 2.0])), 3)
        self.assertIsInstance(Neuron(2)([1.0, 2.0]), Value)

    def test_inputs_may_be_values_numbers_or_any_iterable(self):
        random.seed(5)
        model = MLP(2, [3, 1])
        expected = model([Value(0.5), Value(-1.0)]).data
        for text, x in [("floats", [0.5, -1.0]), ("mixed", [Value(0.5), -1]),
                        ("tuple", (0.5, -1.0)), ("numpy row", np.array([0.5, -1.0])),
                        ("generator", (v for v in [0.5, -1.0]))]:
            with self.subTest(text):
                self.assertEqual(model(x).data, expected)

    def test_the_forward_pass_is_micrograds(self):
        # relu(b + w0*x0 + w1*x1) by hand, from the neuron's own parameters.
        n = Neuron(2)
        n.b.data = 0.25
        x = [0.5, -1.5]
        by_hand = max(0.0, n.b.data + n.w[0].data * x[0] + n.w[1].data * x[1])
        self.assertAlmostEqual(n(x).data, by_hand, places=15)
        self.assertEqual(Neuron(2, nonlin=False).nonlin, False)
        self.assertEqual(repr(Neuron(3, nonlin=False)), "LinearNeuron(3)")

    def test_parameters_are_the_models_own_values(self):
        model = MLP(2, [2, 1])
        params = model.parameters()
        self.assertIs(params[0], model.layers[0].neurons[0].w[0])
        self.assertIs(params[2], model.layers[0].neurons[0].b)
        params[0].data = 10.0
        self.assertEqual(model.layers[0].neurons[0].w[0].data, 10.0)
        for p in params:
            p.grad = 5.0
        model.zero_grad()
        self.assertEqual({p.grad for p in model.parameters()}, {0.0})

    def test_a_users_module_composes_as_in_micrograd(self):
        class TwoHeads(Module):
            def __init__(self):
                self.body = MLP(2, [4])
                self.head = Neuron(4, nonlin=False)

            def __call__(self, x):
                return self.head(self.body(x))

            def parameters(self):
                return self.body.parameters() + self.head.parameters()

        model = TwoHeads()
        out = model([1.0, 2.0])
        out.backward()
        self.assertEqual(len(model.parameters()), 4 * 3 + 5)
        self.assertTrue(any(p.grad != 0 for p in model.parameters()))
        model.zero_grad()
        self.assertEqual({p.grad for p in model.parameters()}, {0})

    def test_other_activations_and_inits(self):
        self.assertEqual(repr(Neuron(2, activation="tanh")), "TanhNeuron(2)")
        model = MLP(2, [3, 1], activation="sigmoid")
        self.assertEqual(str(model.layers[0].neurons[0]), "SigmoidNeuron(2)")
        micrograd.manual_seed(7)
        first = [p.data for p in MLP(4, [8, 1], init="kaiming_uniform").parameters()]
        micrograd.manual_seed(7)
        again = [p.data for p in MLP(4, [8, 1], init="kaiming_uniform").parameters()]
        self.assertEqual(first, again, "manual_seed makes the C++ init repeatable")
        bound = (6 / 4) ** 0.5
        self.assertTrue(all(abs(w) <= bound for w in first[:32]), "U(-sqrt(6/fan_in), ...)")


class Errors(unittest.TestCase):
    def test_an_input_of_the_wrong_length_is_a_value_error(self):
        with self.assertRaisesRegex(ValueError, "3"):
            MLP(3, [2, 1])([1.0, 2.0])

    def test_an_input_of_the_wrong_type_is_a_type_error(self):
        model = MLP(2, [1])
        with self.assertRaisesRegex(TypeError, "an MLP's input: item 1 is a str"):
            model([1.0, "2"])
        with self.assertRaisesRegex(TypeError, "an MLP's input must be a list .* not a float"):
            model(1.0)

    def test_bad_sizes_and_names(self):
        with self.assertRaises(ValueError):
            MLP(2, [])
        with self.assertRaises(ValueError):
            Neuron(0)
        with self.assertRaisesRegex(ValueError, "activation must be one of 'none', 'relu'"):
            MLP(2, [1], activation="gelu")
        with self.assertRaisesRegex(ValueError, "init must be one of"):
            MLP(2, [1], init="zeros")


class HostileSizes(unittest.TestCase):
    def test_negative_sizes_are_named_as_given(self):
        for make, expected in ((lambda: MLP(2, [-1]), r"nouts\[0\] must be at least 1, got -1"),
                               (lambda: MLP(2, [4, -3], init="kaiming_uniform"),
                                r"nouts\[1\] must be at least 1, got -3"),
                               (lambda: MLP(-2, [4]), "nin must be at least 1, got -2"),
                               (lambda: Layer(2, -5), "nout must be at least 1, got -5"),
                               (lambda: Layer(2, -5, init="uniform"), "nout must be at least 1"),
                               (lambda: Neuron(-1), "nin must be at least 1, got -1")):
            with self.subTest(expected):
                with self.assertRaisesRegex(ValueError, expected) as caught:
                    make()
                self.assertNotIn("Invoked with", str(caught.exception),
                                 "pybind11's list of signatures is not a message")

    def test_sizes_of_other_types_are_type_errors(self):
        with self.assertRaisesRegex(TypeError, r"nouts\[0\] must be a whole number .* float"):
            MLP(2, [1.5])
        with self.assertRaisesRegex(TypeError, "nouts must be a list"):
            MLP(2, 3)


class Training(unittest.TestCase):
    def test_losses(self):
        scores = [Value(0.5), Value(-2.0)]
        self.assertAlmostEqual(nn.hinge_loss(scores, [1, -1]).data, (0.5 + 0.0) / 2)
        self.assertAlmostEqual(nn.mse_loss(scores, [1.0, 0.0]).data, (0.25 + 4.0) / 2)
        self.assertAlmostEqual(nn.l2_penalty(scores, 0.1).data, 0.1 * (0.25 + 4.0))
        logits = [Value(1.0), Value(2.0), Value(3.0)]
        expected = np.log(np.exp([1.0, 2.0, 3.0]).sum()) - 3.0
        self.assertAlmostEqual(nn.cross_entropy(logits, 2).data, expected, places=14)
        self.assertAlmostEqual(nn.cross_entropy([logits, logits], [2, 2]).data, expected,
                               places=14)
        self.assertEqual(nn.argmax(logits), 2)
        with self.assertRaisesRegex(ValueError, "-1 or \\+1|label"):
            nn.hinge_loss(scores, [1, 0])
        with self.assertRaises(ValueError):
            nn.mse_loss(scores, [1.0])

    def test_sgd_is_micrograds_update(self):
        p = [Value(1.0), Value(-2.0)]
        p[0].grad, p[1].grad = 0.5, -1.0
        sgd = nn.SGD(p, lr=0.1)
        sgd.step()
        self.assertEqual([v.data for v in p], [1.0 - 0.1 * 0.5, -2.0 + 0.1])
        sgd.lr = 0.5
        self.assertEqual(sgd.lr, 0.5)
        sgd.zero_grad()
        self.assertEqual([v.grad for v in p], [0.0, 0.0])
        with self.assertRaises(ValueError):
            nn.SGD([], lr=0.1)

    def test_adam_first_step_moves_by_about_lr(self):
        p = [Value(1.0)]
        p[0].grad = 1000.0
        adam = nn.Adam(p, lr=0.1)
        adam.step()
        self.assertAlmostEqual(p[0].data, 0.9, places=9)
        self.assertEqual(adam.step_count, 1)

    def test_schedules(self):
        schedule = nn.LinearDecay(1.0, 0.1, 100)
        for k in [0, 1, 50, 99]:
            self.assertAlmostEqual(schedule(k), 1.0 - 0.9 * k / 100, places=15)
        self.assertAlmostEqual(nn.StepDecay(1.0, 10, 0.5)(25), 0.25)
        self.assertAlmostEqual(nn.CosineDecay(1.0, 10)(10), 0.0)


class TrainAndEval(unittest.TestCase):
    """train()/eval()/is_training(), nn.Dropout and nn.BatchNorm1d, as in PyTorch."""

    def test_eval_and_train_reach_every_part_of_a_model(self):
        model = MLP(2, [3, 1])
        self.assertTrue(model.is_training())
        self.assertIs(model.eval(), model)
        self.assertFalse(model.is_training())
        self.assertFalse(any(layer.is_training() for layer in model.layers))
        self.assertIs(model.train(), model)
        self.assertTrue(all(layer.is_training() for layer in model.layers))

        class Net(Module):  # a user's module: its Module attributes are its parts, as in torch
            def __init__(self):
                self.blocks = [MLP(2, [2]), nn.BatchNorm1d(2)]
                self.drop = nn.Dropout(0.5)

        net = Net().eval()
        self.assertFalse(net.is_training())
        self.assertFalse(any(block.is_training() for block in net.blocks))
        self.assertFalse(net.drop.is_training())
        net.train(True)
        self.assertTrue(net.drop.is_training() and net.blocks[1].is_training())

    def test_dropout_zeroes_and_scales_in_training_and_is_the_identity_in_eval(self):
        drop = nn.Dropout(0.5)
        self.assertEqual(drop.p, 0.5)
        nn.manual_seed(3)
        x = [Value(1.0) for _ in range(200)]
        out = drop(x)
        numbers = [v.data for v in out]
        self.assertTrue(set(numbers) <= {0.0, 2.0}, "each kept input is scaled by 1 / (1 - p)")
        self.assertTrue(60 < numbers.count(0.0) < 140, numbers.count(0.0))
        nn.manual_seed(3)
        self.assertEqual([v.data for v in drop(x)], numbers, "the seed decides the mask")
        sum(out, Value(0.0)).backward()
        self.assertEqual([v.grad for v in x], numbers, "d/dx is 1 / (1 - p) where kept, else 0")
        drop.eval()
        self.assertEqual([v.data for v in drop([1.0, -2.0])], [1.0, -2.0])
        with self.assertRaisesRegex(ValueError, "p"):
            nn.Dropout(1.0)

    def test_batchnorm_uses_the_batch_in_training_and_running_statistics_in_eval(self):
        norm = nn.BatchNorm1d(2)
        self.assertEqual(len(norm.parameters()), 4, "weight and bias of each feature")
        batch = [[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]]
        out = norm(batch)
        for j in range(2):
            column = [row[j] for row in batch]
            mean = sum(column) / 3
            var = sum((c - mean) ** 2 for c in column) / 3  # biased
            for i in range(3):
                self.assertAlmostEqual(out[i][j].data, (batch[i][j] - mean) / (var + 1e-5) ** 0.5,
                                       places=12)
            unbiased = var * 3 / 2
            self.assertAlmostEqual(norm.running_mean[j].data, 0.1 * mean, places=12)
            self.assertAlmostEqual(norm.running_var[j].data, 0.9 + 0.1 * unbiased, places=12)
        out[0][0].backward()
        self.assertEqual(norm.bias[0].grad, 1.0)
        norm.eval()
        evaluated = norm([[1.0, 10.0]])  # one sample is fine in eval mode
        expected = (1.0 - norm.running_mean[0].data) / (norm.running_var[0].data + 1e-5) ** 0.5
        self.assertAlmostEqual(evaluated[0][0].data, expected, places=12)
        norm.train()
        with self.assertRaisesRegex(ValueError, "batch of 1 sample in training"):
            norm([[1.0, 2.0]])


class Checkpoints(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.path = Path(self.folder.name) / "model.json"

    def tearDown(self):
        self.folder.cleanup()

    def test_round_trip(self):
        model = MLP(2, [3, 1])
        saved = [p.data for p in model.parameters()]
        nn.save_checkpoint(model, self.path)
        for p in model.parameters():
            p.data = 0.0
        nn.load_checkpoint(model, str(self.path))
        self.assertEqual([p.data for p in model.parameters()], saved)

    def test_an_adam_run_resumes_as_if_never_stopped(self):
        def run(stop):
            nn.manual_seed(3)
            model = MLP(2, [3, 1], init="kaiming_uniform")
            optimizer = nn.Adam(model.parameters(), lr=0.05)
            for step in range(8):
                if step == stop:
                    nn.save_checkpoint(model, self.path, optimizer=optimizer)
                    model = MLP(2, [3, 1], init="kaiming_uniform")
                    optimizer = nn.Adam(model.parameters(), lr=0.05)
                    nn.load_checkpoint(model, self.path, optimizer=optimizer)
                optimizer.zero_grad()
                loss = (model([0.5, -1.0]) - 0.3) ** 2
                loss.backward()
                optimizer.step()
            return [p.data for p in model.parameters()], optimizer.step_count

        self.assertEqual(run(stop=4), run(stop=None))
        nn.save_checkpoint(MLP(2, [3, 1]), self.path)
        model = MLP(2, [3, 1])
        with self.assertRaisesRegex(nn.CheckpointError, "holds no optimizer state"):
            nn.load_checkpoint(model, self.path, optimizer=nn.SGD(model.parameters()))

    def test_a_binary_file_is_refused_with_a_message(self):
        import pickle
        with open(self.path, "wb") as file:
            pickle.dump({"weights": [1.0, 2.0]}, file)
        with self.assertRaises(nn.CheckpointError) as caught:
            nn.load_checkpoint(MLP(2, [3, 1]), self.path)
        message = str(caught.exception)
        self.assertIn("not valid JSON", message)
        self.assertIn(str(self.path), message)

    def test_a_checkpoint_of_another_model_is_refused_and_changes_nothing(self):
        nn.save_checkpoint(MLP(2, [3, 1]), self.path)
        other = MLP(2, [4, 1])
        before = [p.data for p in other.parameters()]
        with self.assertRaisesRegex(nn.CheckpointError, "MLP"):
            nn.load_checkpoint(other, self.path)
        self.assertEqual([p.data for p in other.parameters()], before)

    def test_missing_file_and_bad_model(self):
        with self.assertRaisesRegex(nn.CheckpointError, "missing.json"):
            nn.load_checkpoint(MLP(2, [1]), Path(self.folder.name) / "missing.json")
        with self.assertRaisesRegex(TypeError, "a micrograd.nn Module, not on a list"):
            nn.save_checkpoint([Value(1.0)], self.path)
        nn.save_checkpoint(Module(), self.path)  # any Module, even one without parameters
        nn.load_checkpoint(Module(), self.path)
        self.assertTrue(issubclass(nn.CheckpointError, RuntimeError))

    def test_nan_parameter_is_refused(self):
        model = MLP(1, [1])
        model.parameters()[0].data = float("nan")
        with self.assertRaises(FloatingPointError):
            nn.save_checkpoint(model, self.path)
        self.assertFalse(os.path.exists(self.path))


if __name__ == "__main__":
    unittest.main()
