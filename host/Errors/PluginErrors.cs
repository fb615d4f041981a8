using System.Reflection;

namespace PluggableEcho.Host.Errors;

/// <summary>How an exception thrown by a plugin's own code is shown to the user.</summary>
internal static class PluginErrors
{
    /// <summary>"ExceptionType: message", of the real cause when it came through reflection or a
    /// type's static initialiser.</summary>
    public static string Describe(Exception e)
    {
        Exception cause = e;
        bool initialising = false;
        while (cause is TargetInvocationException or TypeInitializationException && cause.InnerException is { } inner)
        {
            initialising |= cause is TypeInitializationException;
            cause = inner;
        }

        return $"{cause.GetType().Name}: {cause.Message}{(initialising ? " (in a static initialiser)" : "")}";
    }
}
