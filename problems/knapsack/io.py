"""Reading and writing knapsack instances: Pisinger's CSV format and a plain format.

Pisinger's format (his published sets; several instances per file)::

    knapPI_13_20_1000_1      name line
    n 20                     number of items
    c 873                    capacity
    z 1716                   optimum (optional here; absent in generated files)
    time 0.00                solution time in seconds (optional here)
    1,234,114,1              n lines j,p,w[,x]: item number from 1, profit, weight, optimal choice
    ...
    -----                    end of the instance

The plain format holds one instance: ``n c`` on the first line, then n lines ``p w``. Blank lines
and lines starting with ``#`` are skipped in both. Any error names the file and line.
"""

import re
import sys

from problems.knapsack.problem import Instance

_INTEGER = re.compile(r"[0-9]+")
SEPARATOR = "-----"


class ParseError(ValueError):
    """Malformed input; the message is ``file:line: what is wrong``."""


def read_instances(path):
    """All instances of the file ``path`` (``-`` reads stdin), in file order."""
    if path == "-":
        text = sys.stdin.read()
        label = "<stdin>"
    else:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        label = str(path)
    return parse(text, label)


def parse(text, label="<input>"):
    """Parse ``text`` in either format (a first line of two integers means the plain format)."""
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)]
    lines = [(number, line) for number, line in lines if line and not line.startswith("#")]
    if not lines:
        raise ParseError(f"{label}:1: empty input: no instance")
    first = lines[0][1].split()
    if len(first) == 2 and all(_INTEGER.fullmatch(token) for token in first):
        return [_parse_plain(lines, label)]
    return _parse_pisinger(lines, label)


def _integer(token, label, number, what):
    if not _INTEGER.fullmatch(token):
        raise ParseError(f"{label}:{number}: {what} must be a non-negative integer, not {token!r}")
    return int(token)


def _parse_plain(lines, label):
    number, line = lines[0]
    count_token, capacity_token = line.split()
    count = _integer(count_token, label, number, "the number of items")
    capacity = _integer(capacity_token, label, number, "the capacity")
    items = lines[1:]
    if len(items) < count:
        last = lines[-1][0]
        raise ParseError(f"{label}:{last}: truncated: expected {count} items, found {len(items)}")
    if len(items) > count:
        raise ParseError(f"{label}:{items[count][0]}: expected {count} items, found more lines")
    profits, weights = [], []
    for number, line in items:
        tokens = line.split()
        if len(tokens) != 2:
            raise ParseError(f"{label}:{number}: expected 'profit weight', got {line!r}")
        profits.append(_integer(tokens[0], label, number, "a profit"))
        weights.append(_integer(tokens[1], label, number, "a weight"))
    return Instance(name=_stem(label), profits=profits, weights=weights, capacity=capacity)


def _stem(label):
    name = label.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _parse_pisinger(lines, label):
    instances = []
    at = 0
    seen = set()

    def key_line(at, key, required):
        if at >= len(lines):
            if required:
                raise ParseError(f"{label}:{lines[-1][0]}: truncated: expected '{key} ...'")
            return at, None
        number, line = lines[at]
        tokens = line.split()
        if len(tokens) != 2 or tokens[0] != key:
            if required:
                raise ParseError(f"{label}:{number}: expected '{key} <value>', got {line!r}")
            return at, None
        return at + 1, (number, tokens[1])

    while at < len(lines):
        name_number, name = lines[at]
        if "," in name or name == SEPARATOR or " " in name:
            raise ParseError(f"{label}:{name_number}: expected an instance name line, got {name!r}")
        if name in seen:
            raise ParseError(f"{label}:{name_number}: instance name {name!r} appears twice")
        seen.add(name)
        at += 1
        at, (number, token) = key_line(at, "n", True)
        count = _integer(token, label, number, "n")
        at, (number, token) = key_line(at, "c", True)
        capacity = _integer(token, label, number, "c")
        at, z = key_line(at, "z", False)
        known = _integer(z[1], label, z[0], "z") if z else None
        at, time = key_line(at, "time", False)
        if time is not None:
            try:
                float(time[1])
            except ValueError:
                raise ParseError(f"{label}:{time[0]}: time must be a number, not {time[1]!r}") from None
        profits, weights = [], []
        for j in range(1, count + 1):
            if at >= len(lines) or lines[at][1] == SEPARATOR:
                where = lines[at][0] if at < len(lines) else lines[-1][0]
                raise ParseError(f"{label}:{where}: instance {name}: expected {count} items, found {j - 1}")
            number, line = lines[at]
            fields = [field.strip() for field in line.split(",")]
            if len(fields) not in (3, 4):
                raise ParseError(f"{label}:{number}: expected 'j,p,w,x', got {line!r}")
            if _integer(fields[0], label, number, "the item number") != j:
                raise ParseError(f"{label}:{number}: expected item number {j}, got {fields[0]}")
            profits.append(_integer(fields[1], label, number, "a profit"))
            weights.append(_integer(fields[2], label, number, "a weight"))
            if len(fields) == 4 and fields[3] not in ("0", "1"):
                raise ParseError(f"{label}:{number}: x must be 0 or 1, not {fields[3]!r}")
            at += 1
        if at >= len(lines):
            raise ParseError(f"{label}:{lines[-1][0]}: truncated: expected '{SEPARATOR}' after instance {name}")
        number, line = lines[at]
        if line != SEPARATOR:
            raise ParseError(f"{label}:{number}: instance {name} has more than {count} items (expected '{SEPARATOR}')")
        at += 1
        instances.append(Instance(name=name, profits=profits, weights=weights, capacity=capacity, known_optimum=known))
    return instances


def format_pisinger(instance, chosen=None, seconds=None):
    """``instance`` in Pisinger's format; z, time and x are written when known (``chosen``: the
    optimal item indices, with ``instance.known_optimum`` their value)."""
    out = [instance.name, f"n {len(instance.profits)}", f"c {instance.capacity}"]
    if instance.known_optimum is not None:
        out.append(f"z {instance.known_optimum}")
        out.append(f"time {seconds or 0:.2f}")
    picked = set(chosen or ())
    for j, (p, w) in enumerate(zip(instance.profits, instance.weights, strict=True)):
        out.append(f"{j + 1},{p},{w},{1 if j in picked else 0}")
    out.append(SEPARATOR)
    return "\n".join(out) + "\n\n"


def format_plain(instance):
    """``instance`` in the plain format."""
    rows = [f"{len(instance.profits)} {instance.capacity}"]
    rows += [f"{p} {w}" for p, w in zip(instance.profits, instance.weights, strict=True)]
    return "\n".join(rows) + "\n"
