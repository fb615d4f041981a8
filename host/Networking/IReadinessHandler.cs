namespace PluggableEcho.Host.Networking;

/// <summary>What a socket's owner (an acceptor, a connection) does when the poller says the socket is ready.</summary>
internal interface IReadinessHandler
{
    void OnReady(Readiness readiness);
}
