using System.Reflection;
using System.Runtime.CompilerServices;
using Jint;
using Jint.Native;
using Jint.Native.Function;

namespace PluggableEcho.Plugins.Script;

/// <summary>
/// Calls a script function the way <see cref="Engine.Call(JsValue, JsValue, JsValue[])"/> does, without
/// the two objects that method allocates on every call (a closure over its arguments and the delegate
/// that runs it, 112 bytes): the delegate here is made once per transform.
/// </summary>
/// <remarks>
/// <para>
/// <c>Engine.Call</c> is <c>ExecuteWithConstraints(strict, () =&gt; Call(function, thisObject,
/// arguments, expression: null))</c>, both internal to Jint: the first resets the time, statement and
/// memory limits and brackets the call as an entry into the engine, the second pushes the call-stack
/// frame (so recursion is counted and stack traces name the script) and runs the function. This class
/// calls the same two methods with a delegate made once, so limits, exceptions and stack traces are
/// those of <c>Engine.Call</c>.
/// </para>
/// <para>
/// Both are reached by name through <see cref="UnsafeAccessorAttribute"/>, and Jint's internals may
/// change in any release: <see cref="IsAvailable"/> checks at start-up that the two methods are there
/// with the signatures expected, and where they are not, the transform uses <c>Engine.Call</c>.
/// Checked against Jint 4.18.0; the script tests' allocation bound fails if a new version makes
/// this fall back.
/// </para>
/// </remarks>
internal static class JintEntry
{
    private const string JintExpression = "Jint.Runtime.Interpreter.Expressions.JintExpression, Jint";

    /// <summary>Whether this version of Jint has the two internal methods, as 4.18 does.</summary>
    public static bool IsAvailable { get; } = Find();

    /// <summary>Runs <paramref name="call"/> as one entry into the engine, under its limits.</summary>
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "ExecuteWithConstraints")]
    public static extern T ExecuteWithConstraints<T>(Engine engine, bool strict, Func<T> call);

    /// <summary>Calls <paramref name="function"/> in a new call-stack frame; only inside
    /// <see cref="ExecuteWithConstraints"/>.</summary>
    public static JsValue Call(Engine engine, Function function, JsValue thisObject, JsValue[] arguments) =>
        Call(engine, function, thisObject, arguments, expression: null);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "Call")]
    private static extern JsValue Call(Engine engine, Function function, JsValue thisObject, JsValue[] arguments, [UnsafeAccessorType(JintExpression)] object? expression);

    private static bool Find()
    {
        const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;
        Type? expression = typeof(Engine).Assembly.GetType(JintExpression[..JintExpression.IndexOf(',', StringComparison.Ordinal)]);
        MethodInfo? execute = typeof(Engine).GetMethods(Internal).SingleOrDefault(m =>
            m is { Name: "ExecuteWithConstraints", IsGenericMethodDefinition: true }
            && m.GetGenericArguments() is [var t]
            && m.ReturnType == t
            && m.GetParameters() is [{ ParameterType: var strict }, { ParameterType: var call }]
            && strict == typeof(bool)
            && call == typeof(Func<>).MakeGenericType(t));
        MethodInfo? invoke = expression is null
            ? null
            : typeof(Engine).GetMethod("Call", Internal, [typeof(Function), typeof(JsValue), typeof(JsValue[]), expression]);
        return execute is not null && invoke is not null && invoke.ReturnType == typeof(JsValue);
    }
}
