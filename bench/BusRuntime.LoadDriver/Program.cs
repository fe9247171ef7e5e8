using BusRuntime.LoadDriver;

return await LoadDriverCommand.Create().Parse(args).InvokeAsync();
