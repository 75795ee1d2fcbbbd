"""The grader's hand inside the student's kernel: call one function on one case, return what it did.

This file and :mod:`.wire` are sent as text to the kernel after the
submission's cells have run, and run there in a namespace of their own. The
kernel never judges: it sends back raw answers, which the grader reads
strictly and compares with references it computed itself. Nothing here is
trusted; a student who rewrites it can only send answers, and an answer only
scores if it is right.
"""

import json

ANSWER_LIMIT = 2**20  # bytes of JSON; a larger answer is unsupported, not a reason to stall
answer = None  # what the grader reads back, through an expression of the execute request


class Answer:
    """Shown as application/json: that is how the answer travels back, on the shell channel."""

    def __init__(self, data: dict):
        self.data = data

    def _repr_json_(self):
        return self.data


def install(namespace: dict) -> None:
    """Remember the student's namespace (the kernel's globals)."""
    globals()["student"] = namespace


def call(name: str, payload: str) -> None:
    """Call the student's function ``name`` on the case in ``payload``; leave the outcome in ``answer``."""
    global answer
    answer = None
    request = json.loads(payload)
    function = student.get(name)  # noqa: F821 (set by install)
    if function is None:
        answer = Answer({"missing": True})
        return
    if not callable(function):
        answer = Answer({"not_function": type(function).__name__})
        return
    args = decode(request["case"], tuple(request["modules"]))  # noqa: F821 (wire.py runs first)
    try:
        got = function(*args.values())
        data = {"result": encode(got, ()), "after": {k: encode(v, ()) for k, v in args.items()  # noqa: F821
                                                     if type(v).__name__ == "ndarray"}}
        if len(json.dumps(data)) > ANSWER_LIMIT:
            data = {"result": {"unsupported": "an answer larger than 1 MiB"}, "after": {}}
    except NotImplementedError:
        data = {"not_implemented": True}
    except BaseException as error:  # KeyboardInterrupt, SystemExit, GeneratorExit...: this call failed
        data = {"raised": type(error).__name__, "message": _short(error)}
    answer = Answer(data)


def _short(error: BaseException) -> str:
    try:
        text = str(error)
    except BaseException:
        text = ""
    return text[:300]
