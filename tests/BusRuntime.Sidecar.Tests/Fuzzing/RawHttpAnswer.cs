namespace BusRuntime.Sidecar.Tests.Fuzzing;

/// <summary>An HTTP answer as the fuzz suite reads it: the status (0 when the connection closed without one), the message and errorCode of a Dapr error body, the start of the body.</summary>
internal sealed record RawHttpAnswer(int Status, string Message, string ErrorCode, string Body);
