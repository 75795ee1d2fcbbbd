"""Values as plain JSON, between the grader and the student's kernel, read back strictly.

Every value is tagged, so that nothing is guessed: ``{"ndarray": {"dtype",
"shape", "data"}}`` (data flat, non-finite numbers as "nan", "inf", "-inf",
complex numbers as [re, im]), ``{"scalar": ...}`` for numpy scalars, ``{"list":
[...]}``, ``{"tuple": [...]}``, ``{"dict": [[key, value], ...]}``, ``{"float":
"nan"}``; JSON's null, booleans, numbers and strings stand for themselves. Cases
may also hold ``{"generator": <bit generator state>}`` and ``{"function":
"module:qualname"}`` of an exercise module. An answer that is none of these
comes back as ``{"unsupported": "<type>"}`` and is simply wrong.

This file is also sent, as text, to the student's kernel: it imports only the
standard library and numpy. Nothing read here is ever unpickled or evaluated.
"""

import importlib
import math

import numpy as np

DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"}
GENERATORS = {"PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937"}
MAX_DEPTH, MAX_ITEMS, MAX_STRING = 24, 2_000_000, 100_000
SPECIAL = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class WireError(ValueError):
    """A value that cannot be sent, or a message that is not a valid encoding."""


class Unsupported:
    """An answer of a type the grader does not read: never equal to a right answer."""

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self) -> str:
        return f"an object of type {self.kind} that the grader cannot read"


def _number(x):
    if isinstance(x, complex):
        return [_number(x.real), _number(x.imag)]
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else "inf" if x > 0 else "-inf"
    return x


def encode(value, modules=("gdlib.check",), depth=0):
    """``value`` as tagged JSON; functions only from ``modules`` (and their submodules)."""
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if value is None or isinstance(value, (bool, str)) or type(value) is int:
        return value
    if isinstance(value, float):
        return {"float": _number(value)} if not math.isfinite(value) else float(value)
    if isinstance(value, int):  # a subclass of int, such as a numpy bool's cousins
        return int(value)
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.dtype.name not in DTYPES:
            return {"unsupported": f"numpy array of {array.dtype}"}
        data = [_number(x) for x in array.ravel().tolist()]
        body = {"dtype": array.dtype.name, "shape": list(array.shape), "data": data}
        return {"scalar" if isinstance(value, np.generic) else "ndarray": body}
    if isinstance(value, (list, tuple)):
        tag = "tuple" if isinstance(value, tuple) else "list"
        return {tag: [encode(v, modules, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[str(k), encode(v, modules, depth + 1)] for k, v in value.items()]}
    if isinstance(value, np.random.Generator):
        return {"generator": encode(value.bit_generator.state, modules, depth + 1)}
    if callable(value) and hasattr(value, "__qualname__") and modules:
        name = f"{getattr(value, '__module__', '')}:{value.__qualname__}"
        if _resolve(name, modules) is not value:
            raise WireError(f"{name} is not a module-level function of {', '.join(modules)}")
        return {"function": name}
    return {"unsupported": type(value).__name__}


def decode(obj, modules=(), depth=0, budget=None):
    """The value ``obj`` encodes. Generators and functions only when ``modules`` names where functions live."""
    budget = budget if budget is not None else [MAX_ITEMS]
    budget[0] -= 1
    if depth > MAX_DEPTH or budget[0] < 0:
        raise WireError("too large or nested too deeply")
    if obj is None or isinstance(obj, bool) or type(obj) in (int, float):
        return obj
    if isinstance(obj, str):
        if len(obj) > MAX_STRING:
            raise WireError("a string too long")
        return obj
    if not (isinstance(obj, dict) and len(obj) == 1):
        raise WireError(f"unexpected {type(obj).__name__}")
    (tag, body), = obj.items()
    if tag in ("list", "tuple") and isinstance(body, list):
        items = [decode(v, modules, depth + 1, budget) for v in body]
        return tuple(items) if tag == "tuple" else items
    if tag == "dict" and isinstance(body, list):
        pairs = [(k, decode(v, modules, depth + 1, budget)) for k, v in (_pair(p) for p in body)]
        return dict(pairs)
    if tag == "float" and body in SPECIAL:
        return SPECIAL[body]
    if tag in ("ndarray", "scalar") and isinstance(body, dict):
        array = _array(body, budget)
        return array[()] if tag == "scalar" else array
    if tag == "unsupported" and isinstance(body, str):
        return Unsupported(body[:200])
    if tag == "generator" and modules:
        return _generator(decode(body, modules, depth + 1, budget))
    if tag == "function" and modules and isinstance(body, str):
        function = _resolve(body, modules)
        if function is None:
            raise WireError(f"no function {body} in {', '.join(modules)}")
        return function
    raise WireError(f"unexpected tag {str(tag)[:40]!r}")


def _pair(p):
    if not (isinstance(p, list) and len(p) == 2 and isinstance(p[0], str)):
        raise WireError("a dict entry is not a [key, value] pair")
    return p


def _array(body: dict, budget: list) -> np.ndarray:
    dtype, shape, data = body.get("dtype"), body.get("shape"), body.get("data")
    if dtype not in DTYPES or not isinstance(shape, list) or not isinstance(data, list) or len(shape) > 32:
        raise WireError("a malformed array")
    if not all(type(n) is int and 0 <= n for n in shape) or math.prod(shape) != len(data):
        raise WireError("an array whose data does not fit its shape")
    budget[0] -= len(data)
    if budget[0] < 0:
        raise WireError("too large")
    complex_ = dtype.startswith("complex")
    values = [_scalar(x, complex_) for x in data]
    try:
        return np.array(values, dtype=dtype).reshape(shape)
    except (ValueError, OverflowError, TypeError) as error:
        raise WireError(f"a malformed array ({error})") from None


def _scalar(x, complex_: bool):
    if complex_:
        if not (isinstance(x, list) and len(x) == 2):
            raise WireError("a complex number is not a [re, im] pair")
        return complex(_scalar(x[0], False), _scalar(x[1], False))
    if isinstance(x, str) and x in SPECIAL:
        return SPECIAL[x]
    if isinstance(x, bool) or type(x) in (int, float):
        return x
    raise WireError("an array entry that is not a number")


def _generator(state) -> np.random.Generator:
    if not (isinstance(state, dict) and state.get("bit_generator") in GENERATORS):
        raise WireError("a malformed generator state")
    bit_generator = getattr(np.random, state["bit_generator"])()
    try:
        bit_generator.state = state
    except (TypeError, ValueError, KeyError) as error:
        raise WireError(f"a malformed generator state ({error})") from None
    return np.random.Generator(bit_generator)


def _resolve(name: str, modules):
    """The function ``module:qualname`` if its module is one of ``modules`` or inside one, else None."""
    module, _, qualname = name.partition(":")
    if not any(module == m or module.startswith(m + ".") for m in modules) or not qualname:
        return None
    try:
        found = importlib.import_module(module)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        return None
    return found if callable(found) and "<" not in qualname else None
