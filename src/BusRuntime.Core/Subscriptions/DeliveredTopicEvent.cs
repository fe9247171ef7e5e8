using BusRuntime.Contracts;

namespace BusRuntime.Core.Subscriptions;

/// <summary>An event taken from a subscription's queue, with the message id that is its CloudEvent id.</summary>
public sealed record DeliveredTopicEvent(string Id, TopicEvent Event);
