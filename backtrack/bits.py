"""Bit helpers that run both interpreted and compiled (LLVM intrinsics under numba).

Each helper is a plain Python function; ``numba.extending.overload`` gives the compiled
implementation, so hooks may call them on either backend.
"""

from llvmlite import ir
from numba import types
from numba.extending import intrinsic, overload


def popcount(x):
    """Number of set bits of a non-negative int64 or uint64 word."""
    return int(x).bit_count()


def lowest_bit_index(x):
    """Index of the lowest set bit of a non-zero word (count of trailing zeros)."""
    x = int(x)
    return (x & -x).bit_length() - 1


@intrinsic
def _ctpop(typingctx, x):
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        return builder.sext(builder.ctpop(args[0]), ir.IntType(64)) if x.bitwidth < 64 else builder.ctpop(args[0])

    return types.int64(x), codegen


@intrinsic
def _cttz(typingctx, x):
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        zero_is_poison = ir.Constant(ir.IntType(1), 0)
        result = builder.cttz(args[0], zero_is_poison)
        return builder.zext(result, ir.IntType(64)) if x.bitwidth < 64 else result

    return types.int64(x), codegen


@overload(popcount, inline="always")
def _popcount_compiled(x):
    return lambda x: _ctpop(x)


@overload(lowest_bit_index, inline="always")
def _lowest_bit_index_compiled(x):
    return lambda x: _cttz(x)
