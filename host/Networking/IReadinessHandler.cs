namespace PluggableEcho.Host.Networking;

/// <summary>What a socket's owner (an acceptor, a connection) does when the poller says the socket is ready.</summary>
internal interface IReadinessHandler
{
    void OnReady(Readiness readiness);

    /// <summary>Whom it serves, and in which step if one runs, for a report of a loop stuck in
    /// it: <c>in step 1 'x' (echo.yaml:3:5), serving connection 12 from 10.0.0.5:40122 on listener 0</c>.
    /// Called from another thread while the loop is in it: it reads only what a stale read cannot break.</summary>
    string Describe();
}
