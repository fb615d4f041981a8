using System.Reflection;

namespace PluggableEcho.Host.Errors;

/// <summary>How an exception thrown by a plugin's own code is shown to the user.</summary>
internal static class PluginErrors
{
    /// <summary>"ExceptionType: message", of the real cause when it came through reflection.</summary>
    public static string Describe(Exception e)
    {
        Exception cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
        return $"{cause.GetType().Name}: {cause.Message}";
    }
}
