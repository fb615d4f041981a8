namespace PluggableEcho.Abstractions;

/// <summary>
/// An <see cref="ITransform"/> that promises to map text line by line, so that the host may hand
/// it a run of whole lines in one call instead of one call per line. A promise, with no members:
/// for any bytes <c>a</c> and <c>b</c>, transforming <c>a + "\n" + b</c> writes exactly what
/// transforming <c>a</c>, then <c>"\n"</c>, then transforming <c>b</c> would, and likewise with
/// <c>"\r\n"</c>; the line endings pass through unchanged, and the result depends on nothing but
/// the input (no state kept between calls).
/// </summary>
/// <remarks>
/// Upper-casing and rot13 keep it: every byte of a line ending maps to itself and no character
/// spans a line ending. Reversing does not (it would move the endings). When every step of a
/// line-framed pipeline keeps it, the host transforms each run of whole lines of a read in one
/// call; if that call throws, the host runs the lines one by one, so the step's error policy sees
/// the failing line on its own.
/// </remarks>
public interface ILinewiseTransform : ITransform;
