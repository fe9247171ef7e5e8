using BusRuntime.StackFloor;

return await StackFloorApp.RunAsync(args);
