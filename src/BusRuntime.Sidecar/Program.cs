using BusRuntime.Sidecar.Commands;

return await BusRuntimeCommandLine.Create().Parse(args).InvokeAsync();
