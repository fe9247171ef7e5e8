using System.Diagnostics;

namespace BusRuntime.LoadDriver.Broker;

/// <summary>Finds the local RabbitMQ server (Erlang's beam.smp) so its CPU time can be charged per message too.</summary>
public static class BrokerProcess
{
    /// <summary>The one beam.smp process on this machine; null when there is none or more than one to choose from.</summary>
    public static Process? FindLocal()
    {
        var candidates = Process.GetProcessesByName("beam.smp");
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        foreach (var candidate in candidates)
        {
            candidate.Dispose();
        }

        return null;
    }
}
