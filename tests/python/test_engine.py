"""micrograd.engine.Value from Python: micrograd's behaviour, on the C++ engine.

Run by ctest (python.engine) with the build tree's package on PYTHONPATH.
"""
import gc
import math
import random
import unittest
from fractions import Fraction

import micrograd
from micrograd.engine import Value


def readme_expression():
    """micrograd's README example, verbatim."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return a, b, g


class MicrogradReadme(unittest.TestCase):
    def test_prints_the_readme_numbers(self):
        a, b, g = readme_expression()
        self.assertEqual(f'{g.data:.4f}', '24.7041', "the forward pass")
        g.backward()
        self.assertEqual(f'{a.grad:.4f}', '138.8338', "dg/da")
        self.assertEqual(f'{b.grad:.4f}', '645.5773', "dg/db")

    def test_backward_twice_gives_leaves_exactly_twice_the_gradient(self):
        a, b, g = readme_expression()
        g.backward()
        first = (a.grad, b.grad)
        g.backward()
        # micrograd would double-count through the interior nodes; here they are reset each pass.
        self.assertEqual((a.grad, b.grad), (2 * first[0], 2 * first[1]))


class Arithmetic(unittest.TestCase):
    def test_ints_and_floats_on_either_side(self):
        x = Value(3.0)
        cases = {
            "x + 2": (x + 2, 5.0), "2 + x": (2 + x, 5.0), "x + 0.5": (x + 0.5, 3.5),
            "x - 2": (x - 2, 1.0), "2 - x": (2 - x, -1.0), "x * 2": (x * 2, 6.0),
            "2 * x": (2 * x, 6.0), "x / 2": (x / 2, 1.5), "3 / x": (3 / x, 1.0),
            "-x": (-x, -3.0), "x ** 2": (x**2, 9.0), "x ** 0.5": (x**0.5, math.sqrt(3)),
            "x ** -1": (x**-1, 1 / 3), "True * x": (True * x, 3.0),
            "Fraction(1, 2) * x": (Fraction(1, 2) * x, 1.5),
        }
        for text, (result, expected) in cases.items():
            with self.subTest(text):
                self.assertIsInstance(result, Value)
                self.assertEqual(result.data, expected)

    def test_reflected_ops_pass_gradient_to_the_value(self):
        x = Value(3.0)
        for text, make, gradient in [("2 - x", lambda: 2 - x, -1.0), ("2 * x", lambda: 2 * x, 2.0),
                                     ("6 / x", lambda: 6 / x, -6 / 9), ("1 + x", lambda: 1 + x, 1.0)]:
            with self.subTest(text):
                x.grad = 0
                make().backward()
                self.assertAlmostEqual(x.grad, gradient, places=15)

    def test_sum_starts_from_the_int_zero(self):
        values = [Value(1.0), Value(2.0), Value(3.5)]
        total = sum(values)
        self.assertEqual(total.data, 6.5)
        total.backward()
        self.assertEqual([v.grad for v in values], [1.0, 1.0, 1.0])

    def test_numpy_scalars_work_like_numbers(self):
        import numpy as np  # python3-numpy (scripts/install_deps.sh --test)
        x = Value(2.0)
        self.assertEqual(Value(np.float64(1.5)).data, 1.5)
        self.assertEqual((np.int64(-1) * x).data, -2.0, "micrograd's demo writes -yi*scorei")
        self.assertIsInstance(np.int64(-1) * x, Value)
        self.assertEqual((x * np.float64(0.5)).data, 1.0)
        self.assertEqual((x ** np.int64(3)).data, 8.0)

    def test_nonlinearities_and_their_derivatives(self):
        cases = [("relu", 2.0, 2.0, 1.0), ("relu", -2.0, 0.0, 0.0), ("tanh", 0.5, math.tanh(0.5),
                 1 - math.tanh(0.5)**2), ("exp", 1.5, math.exp(1.5), math.exp(1.5)),
                 ("log", 2.0, math.log(2.0), 0.5),
                 ("sigmoid", 0.3, 1 / (1 + math.exp(-0.3)),
                  (1 / (1 + math.exp(-0.3))) * (1 - 1 / (1 + math.exp(-0.3)))),
                 ("abs", -1.5, 1.5, -1.0), ("abs", 2.0, 2.0, 1.0), ("abs", 0.0, 0.0, 0.0)]
        for name, x, value, derivative in cases:
            with self.subTest(f"{name}({x})"):
                v = Value(x)
                out = getattr(v, name)()
                out.backward()
                self.assertAlmostEqual(out.data, value, places=14)
                self.assertAlmostEqual(v.grad, derivative, places=14)

    def test_builtin_abs_makes_an_abs_node(self):
        # minigrad's README writes (b - 7.1).abs(); Python code writes abs(v).
        b = Value(2.0)
        out = abs(b - 7.1)
        self.assertIsInstance(out, Value)
        self.assertEqual(out._op, "abs")
        self.assertAlmostEqual(out.data, 5.1, places=14)
        out.backward()
        self.assertEqual(b.grad, -1.0)

    def test_division_by_zero_is_ieee_infinity(self):
        self.assertEqual((Value(1.0) / 0).data, math.inf)
        self.assertTrue(math.isnan(Value(-1.0).log().data))


class Attributes(unittest.TestCase):
    def test_data_and_grad_are_floats_and_assignable(self):
        p = Value(2)
        self.assertIsInstance(p.data, float)
        p.grad = 3
        p.data -= 0.5 * p.grad
        self.assertEqual((p.data, p.grad), (0.5, 3.0))

    def test_repr_is_micrograds(self):
        v = Value(0.8958441028683222)
        v.grad = 1
        self.assertEqual(repr(v), "Value(data=0.8958441028683222, grad=1.0)")
        self.assertEqual(str(Value(-4)), "Value(data=-4.0, grad=0.0)")

    def test_prev_and_op_describe_the_graph(self):
        a, b = Value(2.0), Value(3.0)
        self.assertEqual(a._prev, set())
        self.assertEqual(a._op, "")
        self.assertEqual((a + b)._prev, {a, b})
        self.assertEqual((a * a)._prev, {a}, "a node used twice is one parent")
        expected_ops = {"+": a + b, "*": a * b, "**2": a**2, "**-1": a**-1, "**0.5": a**0.5,
                        "ReLU": a.relu(), "tanh": a.tanh(), "exp": a.exp(), "-": a - b,
                        "/": a / b, "neg": -a, "log": a.log(), "sigmoid": a.sigmoid()}
        for op, value in expected_ops.items():
            self.assertEqual(value._op, op)

    def test_one_python_object_per_node(self):
        a, b = Value(2.0), Value(3.0)
        c = a * b
        (parent_1, parent_2) = sorted(c._prev, key=lambda v: v.data)
        self.assertIs(parent_1, a)
        self.assertIs(parent_2, b)
        # While Python holds no reference, a parent's object may go; asked for again, it comes
        # back as one object, with the node's numbers.
        c = Value(1.0) * Value(5.0)
        gc.collect()
        first, second = list(c._prev), list(c._prev)
        self.assertEqual({id(v) for v in first}, {id(v) for v in second})
        self.assertEqual(sorted(v.data for v in first), [1.0, 5.0])

    def test_micrograds_trace_sees_each_node_once(self):
        # trace() from micrograd's trace_graph.ipynb, verbatim: it keys nodes by the Python object.
        def trace(root):
            nodes, edges = set(), set()
            def build(v):
                if v not in nodes:
                    nodes.add(v)
                    for child in v._prev:
                        edges.add((child, v))
                        build(child)
            build(root)
            return nodes, edges

        a, b, g = readme_expression()
        nodes, edges = trace(g)
        stats = micrograd.graph_stats(g)
        self.assertEqual(len(nodes), stats.node_count)
        self.assertEqual(len(edges), sum(len(v._prev) for v in nodes))
        self.assertIn(a, nodes)

    def test_label(self):
        a = Value(2.0, label="a")
        self.assertEqual(a.label, "a")
        a.label = "weight"
        self.assertEqual(a.label, "weight")
        self.assertEqual(Value(1.0).label, "")

    def test_backward_by_hand_one_node_at_a_time(self):
        # The lecture runs each node's _backward() itself before it writes backward().
        a, b = Value(2.0), Value(-3.0)
        c = a * b
        o = c.tanh()
        o.grad = 1.0
        o._backward()
        self.assertAlmostEqual(c.grad, 1 - math.tanh(-6.0)**2, places=15)
        c._backward()
        self.assertAlmostEqual(a.grad, -3 * c.grad, places=15)
        self.assertAlmostEqual(b.grad, 2 * c.grad, places=15)


class Errors(unittest.TestCase):
    def test_a_value_is_made_from_a_number(self):
        for bad in ["2.0", None, [1.0], Value(1.0)]:
            with self.subTest(type(bad).__name__):
                with self.assertRaisesRegex(TypeError, "Value\\(data\\) must be a real number"):
                    Value(bad)

    def test_data_and_grad_take_numbers_only(self):
        v = Value(1.0)
        with self.assertRaisesRegex(TypeError, "Value.data must be a real number .* not str"):
            v.data = "3"
        with self.assertRaisesRegex(TypeError, "Value.grad must be a real number .* not NoneType"):
            v.grad = None
        self.assertEqual((v.data, v.grad), (1.0, 0.0), "a refused assignment changes nothing")

    def test_ops_with_other_types_are_python_type_errors(self):
        v = Value(1.0)
        for text, op in [("v + 'a'", lambda: v + "a"), ("'a' * v", lambda: "a" * v),
                         ("v - None", lambda: v - None), ("[1] / v", lambda: [1] / v)]:
            with self.subTest(text):
                with self.assertRaisesRegex(TypeError, "unsupported operand|can't multiply"):
                    op()

    def test_the_exponent_is_a_number(self):
        with self.assertRaisesRegex(TypeError, "only int/float powers .* the exponent is Value"):
            Value(2.0) ** Value(3.0)
        with self.assertRaises(TypeError):
            2 ** Value(3.0)

    def test_an_int_too_large_for_a_float_is_an_overflow_error(self):
        with self.assertRaises(OverflowError):
            Value(1.0) + 10**400

    def test_anomaly_mode_raises_floating_point_error_with_the_ops_name(self):
        x = Value(-1.0, label="x")
        with micrograd.AnomalyGuard():
            self.assertTrue(micrograd.is_anomaly_enabled())
            with self.assertRaisesRegex(FloatingPointError, "log"):
                x.log()
        self.assertFalse(micrograd.is_anomaly_enabled())
        self.assertTrue(math.isnan(x.log().data), "outside the block NaN follows IEEE rules")

    def test_a_guard_is_entered_once(self):
        guard = micrograd.no_grad()
        with guard:
            with self.assertRaisesRegex(RuntimeError, "already active"):
                guard.__enter__()
        with self.assertRaisesRegex(RuntimeError, "without __enter__"):
            guard.__exit__(None, None, None)


class HostileConversions(unittest.TestCase):
    """Numbers that are not one real number are refused, never cut down to one silently."""

    def test_complex_numbers_are_type_errors_whatever_their_type(self):
        import numpy as np
        for number in (1 + 2j, np.complex128(1 + 2j), np.complex64(1 + 2j), np.complex128(3)):
            with self.subTest(type(number).__name__):
                with self.assertRaisesRegex(TypeError, "real number.*not complex"):
                    Value(number)
                v = Value(1.0)
                with self.assertRaises(TypeError):
                    v.data = number

    def test_a_complex_operand_is_a_type_error(self):
        with self.assertRaises(TypeError):
            Value(1.0) * (1 + 2j)
        with self.assertRaises(TypeError):
            (1 + 2j) - Value(1.0)

    def test_a_numpy_array_times_a_value_works_elementwise_on_either_side(self):
        import numpy as np
        x = Value(2.0)
        for product in (x * np.array([1.5, 2.0]), np.array([1.5, 2.0]) * x):
            self.assertEqual([v.data for v in product], [3.0, 4.0])
        with self.assertRaisesRegex(TypeError, "Value\\(data\\) must be a real number .* ndarray"):
            Value(np.array([1.5, 2.0]))

    def test_numpy_and_python_reals_still_work(self):
        import numpy as np
        from decimal import Decimal
        for number, expected in ((np.float32(0.5), 0.5), (np.int8(-3), -3.0),
                                 (Decimal("0.25"), 0.25), (Fraction(1, 4), 0.25), (True, 1.0),
                                 (np.array(2.5), 2.5)):
            with self.subTest(repr(number)):
                self.assertEqual(Value(number).data, expected)


class Modes(unittest.TestCase):
    def test_no_grad_builds_no_graph(self):
        a = Value(2.0)
        with micrograd.no_grad():
            self.assertFalse(micrograd.is_grad_enabled())
            b = a * 3
        self.assertTrue(micrograd.is_grad_enabled())
        self.assertEqual(b.data, 6.0)
        self.assertEqual((b._prev, b._op), (set(), ""))

    def test_an_exception_in_the_block_restores_the_mode(self):
        with self.assertRaises(KeyError):
            with micrograd.no_grad():
                raise KeyError("inside")
        self.assertTrue(micrograd.is_grad_enabled())


class Checks(unittest.TestCase):
    def test_gradcheck_agrees_with_backward(self):
        result = micrograd.gradcheck(lambda x: (x[0] * x[1]).tanh() + x[0].exp() / x[1],
                                     [0.5, -1.5])
        self.assertTrue(result.ok, str(result))
        self.assertEqual(len(result.inputs), 2)
        self.assertIn("analytic", str(result))

    def test_gradcheck_finds_a_wrong_derivative(self):
        # x.data used as a constant: backward() sees 0 where the true derivative is 2x.
        result = micrograd.gradcheck(lambda x: x[0] * x[0].data, [1.5])
        self.assertFalse(result.ok)
        self.assertAlmostEqual(result.inputs[0].numeric, 3.0, places=6)

    def test_gradcheck_wants_a_value_back(self):
        with self.assertRaisesRegex(TypeError, "f must return a Value .* not a float"):
            micrograd.gradcheck(lambda x: 1.0, [1.0])

    def test_graph_stats(self):
        a, b, g = readme_expression()
        stats = micrograd.graph_stats(g)
        self.assertEqual((stats.node_count, stats.leaf_count, stats.depth), (33, 8, 13),
                         "as examples/readme prints")
        self.assertEqual(sum(stats.op_counts.values()), stats.node_count)


class TapeGuardTest(unittest.TestCase):
    """with micrograd.TapeGuard(): the same graph on a tape, backward in one sweep."""

    def test_the_readme_numbers_on_a_tape(self):
        a0, b0, g0 = readme_expression()
        g0.backward()
        with micrograd.TapeGuard():
            self.assertTrue(micrograd.is_tape_active())
            a, b, g = readme_expression()
            g.backward()
        self.assertFalse(micrograd.is_tape_active())
        self.assertEqual(g.data, g0.data)
        self.assertAlmostEqual(a.grad, a0.grad, places=9)
        self.assertAlmostEqual(b.grad, b0.grad, places=9)

    def test_values_and_their_parents_outlive_the_block(self):
        with micrograd.TapeGuard():
            x = Value(3.0)
            y = x * x + 1
        parents = list(y._prev)
        with micrograd.TapeGuard():  # another step, which must not reuse y's tape
            noise = [Value(float(i)) * 2 for i in range(5000)]
            del noise
        gc.collect()
        self.assertEqual(y.data, 10.0)
        self.assertEqual(sorted(p.data for p in parents), [1.0, 9.0])
        y.backward()
        self.assertEqual(x.grad, 6.0)

    def test_max_nodes_must_be_positive(self):
        with self.assertRaises(ValueError):
            micrograd.TapeGuard(max_nodes=0)


def walk_by_id(root):
    """The nodes behind root, found by a walk that keeps only their ids (no reference to them)."""
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        for parent in node._prev:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return seen


class Identity(unittest.TestCase):
    """One Python object per node while Python code can reach it, as micrograd's Values are."""

    def test_a_walk_keyed_by_id_reaches_every_node(self):
        a, b, g = readme_expression()  # its intermediates are held by no Python variable
        gc.collect()
        self.assertEqual(len(walk_by_id(g)), micrograd.graph_stats(g).node_count)
        # micrograd's own Values hold their _prev; the demo's graph is large enough that the ids
        # of dropped objects would be reused if this package handed out new ones.
        x = [Value(float(i)) for i in range(20)]
        loss = sum((xi * xi).tanh() + xi.exp() * 0.5 for xi in x)
        self.assertEqual(len(walk_by_id(loss)), micrograd.graph_stats(loss).node_count)

    def test_a_parent_is_the_same_object_on_every_access(self):
        c = (Value(1.0) * Value(5.0)).relu()
        gc.collect()
        (product,) = c._prev
        first_id = id(product)
        del product
        gc.collect()
        (again,) = c._prev
        self.assertEqual(id(again), first_id)
        self.assertEqual({id(v) for v in again._prev}, {id(v) for v in again._prev})

    def test_pinned_parents_go_with_their_child(self):
        x = Value(2.0)
        y = (x * 3).exp()
        walk_by_id(y)
        del y
        gc.collect()
        self.assertEqual((x.data, x.grad), (2.0, 0.0), "a leaf Python holds is untouched")

    def test_a_walked_deep_chain_is_freed_without_recursing(self):
        # 100,000 Python objects, each pinning the next: freeing them one inside the other would
        # overflow the C stack; CPython's trashcan unwinds the tuples that pin them.
        x = Value(0.5)
        y = x
        for _ in range(100_000):
            y = y + 1.0
        self.assertEqual(len(walk_by_id(y)), 2 * 100_000 + 1, "x, and each + with its 1.0")
        del y
        gc.collect()
        self.assertEqual(x.data, 0.5)


class ManyInputs(unittest.TestCase):
    """micrograd.sum, micrograd.dot and micrograd.softplus: one node each, the C++ numbers."""

    def test_prev_lists_all_300_inputs_of_a_sum(self):
        values = [Value(i * 0.1) for i in range(300)]
        total = micrograd.sum(values)
        self.assertEqual(total._op, "sum")
        self.assertEqual(total._prev, set(values))
        self.assertEqual(len(total._prev), 300)
        self.assertEqual(total.data, sum(v.data for v in values), "added left to right")
        total.backward()
        self.assertEqual({v.grad for v in values}, {1.0})
        self.assertEqual(micrograd.graph_stats(total).node_count, 301)

    def test_dot_is_the_op_for_op_neuron_to_the_last_bit(self):
        random.seed(7)
        w = [Value(random.uniform(-1, 1)) for _ in range(300)]
        x = [Value(random.uniform(-1, 1)) for _ in range(300)]
        b = Value(0.25)
        fused = micrograd.dot(w, x, b)
        chain = b
        for wi, xi in zip(w, x):
            chain = chain + wi * xi
        self.assertEqual(fused.data, chain.data)
        self.assertEqual(len(fused._prev), 601)
        fused.backward()
        fused_grads = [v.grad for v in w + x + [b]]
        for v in w + x + [b]:
            v.grad = 0
        chain.backward()
        self.assertEqual(fused_grads, [v.grad for v in w + x + [b]])
        with self.assertRaises(ValueError):
            micrograd.dot([Value(1.0)], [Value(1.0), Value(2.0)])

    def test_softplus_and_its_derivative(self):
        for number in (-30.0, -1.5, 0.0, 2.0, 40.0, 800.0):
            x = Value(number)
            y = micrograd.softplus(x)
            y.backward()
            expected = number + math.log1p(math.exp(-number)) if number > 0 else \
                math.log1p(math.exp(number))
            self.assertAlmostEqual(y.data, expected, delta=1e-12 * max(1.0, abs(expected)))
            self.assertAlmostEqual(x.grad, 1 / (1 + math.exp(-number)), places=12)
        self.assertNotIn("sum", micrograd.__all__, "import * must not replace Python's sum")


if __name__ == "__main__":
    unittest.main()
