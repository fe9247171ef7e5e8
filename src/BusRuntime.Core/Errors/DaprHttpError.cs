namespace BusRuntime.Core.Errors;

/// <summary>A Dapr HTTP error answer: the status and the <c>errorCode</c> of its <c>{"errorCode","message"}</c> body.</summary>
public readonly record struct DaprHttpError(int Status, string ErrorCode);
