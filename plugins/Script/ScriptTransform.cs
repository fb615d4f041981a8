using System.Buffers;
using System.Net;
using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Script;

/// <summary>
/// Runs a script on each message. Each loop has its own instance and so its own engine, used by
/// that loop's thread only; the parsed script is shared. The engine has no access to .NET types,
/// files or the network, and every message runs under the step's limits.
/// </summary>
internal sealed class ScriptTransform : IConnectionTransform, IDisposable
{
    private const bool Strict = true; // As the options say: Engine.Call passes the engine's strictness.

    private readonly CompiledScript _script;
    private readonly ScriptLimits _limits;
    private readonly Engine _engine;
    private readonly JsValue _function;
    private readonly JsValue[] _arguments = new JsValue[3]; // Reused: the engine copies what it keeps.
    private readonly Func<JsValue>? _call; // Made once; null where Engine.Call must do (see JintEntry).

    public ScriptTransform(ScriptOptions options)
    {
        _script = options.Compiled ?? Compile(options);
        _limits = options.Limits;
        _engine = new Engine(o =>
        {
            o.Strict()
                .TimeoutInterval(_limits.Time)
                .LimitMemory(_limits.MemoryMb * 1024L * 1024L)
                .LimitRecursion(_limits.Recursion)
                .MaxStatements(_limits.Statements);
            o.Constraints.RegexTimeout = _limits.Time;

            // Built-ins recurse natively (String() of arrays nested 10,000 deep, say): without
            // the guard that overflows the loop thread's stack and ends the process.
            o.Constraints.StackOverflowGuard = true;
        });
        _function = _engine.Evaluate(_script.Prepared);

        // A script that closes the function early, as in "}) && (1 + function () {", evaluates to
        // something else; Engine.Call fails each message with it as before.
        _call = JintEntry.IsAvailable && _function is Function function ? () => JintEntry.Call(_engine, function, JsValue.Undefined, _arguments) : null;
    }

    public object? CreateConnectionState(ConnectionInfo connection) =>
        new ScriptConnection(new JsObject(_engine), Describe(connection));

    public TransformResult Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output, object? connectionState)
    {
        var connection = (ScriptConnection)connectionState!;
        JsValue result;
        try
        {
            // The one copy a script needs: it works on text. Invalid UTF-8 becomes U+FFFD.
            _arguments[0] = JsString.Create(Encoding.UTF8.GetString(message));
            _arguments[1] = connection.State;
            _arguments[2] = connection.Info;
            result = _call is null
                ? _engine.Call(_function, JsValue.Undefined, _arguments)
                : JintEntry.ExecuteWithConstraints(_engine, Strict, _call);
        }
        catch (Exception e) when (ScriptFailure.Explain(e, _script, _limits, _engine) is { } reason)
        {
            throw new ScriptFailure(reason, e);
        }
        finally
        {
            Array.Clear(_arguments); // Holds no message or connection past its time.
        }

        return Write(result, output);
    }

    public void Dispose() => _engine.Dispose();

    private static TransformResult Write(JsValue result, IBufferWriter<byte> output)
    {
        if (result.IsNull())
        {
            return TransformResult.Drop;
        }

        if (result.IsUndefined() || result.IsObject() || result.IsSymbol())
        {
            string what = result.IsUndefined() ? "nothing (undefined)" : result.IsSymbol() ? "a symbol" : "an object";
            throw new ScriptFailure($"the script returned {what}; return a string, or null to send nothing");
        }

        string text = TypeConverter.ToString(result); // Numbers and booleans as JavaScript writes them.
        int length = Encoding.UTF8.GetByteCount(text);
        output.Advance(Encoding.UTF8.GetBytes(text, output.GetSpan(length)));
        return TransformResult.Continue;
    }

    /// <summary>What a script sees as <c>connection</c>: read-only.</summary>
    private JsObject Describe(ConnectionInfo connection)
    {
        EndPoint? remote = connection.RemoteEndPoint;
        string? address = remote is IPEndPoint ip ? ip.Address.ToString() : remote?.ToString();
        var info = new JsObject(_engine);
        info.FastSetProperty("id", ReadOnly(JsNumber.Create(connection.Id)));
        info.FastSetProperty("remoteAddress", ReadOnly(address is null ? JsValue.Null : JsString.Create(address)));
        info.FastSetProperty("remotePort", ReadOnly(remote is IPEndPoint { Port: var port } ? JsNumber.Create(port) : JsValue.Null));
        info.PreventExtensions();
        return info;

        static PropertyDescriptor ReadOnly(JsValue value) => new(value, PropertyFlag.OnlyEnumerable);
    }

    private static CompiledScript Compile(ScriptOptions options) =>
        CompiledScript.TryCompile(options, out CompiledScript? compiled, out string? error)
            ? compiled
            : throw new ArgumentException(error, nameof(options));

    private sealed record ScriptConnection(JsObject State, JsObject Info);
}
