// Type helpers for typed event maps, shared by the client and the server. Same names and
// shapes as socket.io's, so apps typed against socket.io compile unchanged.

/** A map from event name to listener signature. */
export interface EventsMap {
  [event: string]: any;
}

/** The map used when an app gives none: any event, any arguments. */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

export type EventNames<Map extends EventsMap> = keyof Map & (string | symbol);

export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

export type ReservedOrUserEventNames<ReservedEventsMap extends EventsMap, UserEvents extends EventsMap> =
  | EventNames<ReservedEventsMap>
  | EventNames<UserEvents>;

export type ReservedOrUserListener<
  ReservedEvents extends EventsMap,
  UserEvents extends EventsMap,
  Ev extends ReservedOrUserEventNames<ReservedEvents, UserEvents>,
> = FallbackToUntypedListener<
  Ev extends EventNames<ReservedEvents> ? ReservedEvents[Ev] : Ev extends EventNames<UserEvents> ? UserEvents[Ev] : never
>;

/** An untyped listener where the map says nothing, so `on(name, (...args) => ...)` still compiles. */
export type FallbackToUntypedListener<T> = [T] extends [never] ? (...args: any[]) => void | Promise<void> : T;

export type Last<T extends any[]> = T extends [...infer _H, infer L] ? L : any;
export type AllButLast<T extends any[]> = T extends [...infer H, infer _L] ? H : any[];
export type FirstArg<T> = T extends (arg: infer Param) => infer _Result ? Param : any;
export type FirstNonErrorArg<T> = T extends (...args: infer Params) => any ? FirstNonErrorTuple<Params> : any;
type FirstNonErrorTuple<T extends any[]> = IsErrorArg<T[0]> extends true ? T[1] : T[0];

/**
 * Whether an ack's first parameter is an error slot: `Error` (or a subclass), also when it
 * may be `null` or `undefined` (`err: Error | null` is how error-first callbacks are usually
 * typed). A missing parameter, or one that is only `null`/`undefined`, is not.
 */
export type IsErrorArg<A> = [Exclude<A, null | undefined>] extends [never] ? false : [Exclude<A, null | undefined>] extends [Error] ? true : false;

/** Event names whose last parameter is an ack callback. */
export type EventNamesWithAck<Map extends EventsMap, K extends EventNames<Map> = EventNames<Map>> = IfAny<
  Last<Parameters<Map[K]>> | Map[K],
  K,
  K extends (Last<Parameters<Map[K]>> extends (...args: any[]) => any ? K : never) ? K : never
>;

/** Event names without an ack callback. */
export type EventNamesWithoutAck<Map extends EventsMap, K extends EventNames<Map> = EventNames<Map>> = IfAny<
  Last<Parameters<Map[K]>> | Map[K],
  K,
  K extends (Parameters<Map[K]> extends never[] ? K : never) ? K : K extends (Last<Parameters<Map[K]>> extends (...args: any[]) => any ? never : K) ? K : never
>;

export type RemoveAcknowledgements<E extends EventsMap> = {
  [K in EventNamesWithoutAck<E>]: E[K];
};

type IfAny<T, Y, N> = 0 extends 1 & T ? Y : N;

/** Turns the ack of every event into an error-first ack, as `timeout(ms).emit()` calls it. */
export type DecorateAcknowledgements<E> = {
  [K in keyof E]: E[K] extends (...args: infer Params) => infer Result ? (...args: PrependTimeoutError<Params>) => Result : E[K];
};

export type PrependTimeoutError<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer Params) => infer Result
    ? IsErrorArg<Params[0]> extends true
      ? T[K]
      : (err: Error, ...args: Params) => Result
    : T[K];
};

/** Like {@link DecorateAcknowledgements}, for broadcasts: one reply per recipient. */
export type DecorateAcknowledgementsWithTimeoutAndMultipleResponses<E> = {
  [K in keyof E]: E[K] extends (...args: infer Params) => infer Result
    ? (...args: ExpectMultipleResponses<PrependTimeoutError<Params>>) => Result
    : E[K];
};

export type DecorateAcknowledgementsWithMultipleResponses<E> = {
  [K in keyof E]: E[K] extends (...args: infer Params) => infer Result ? (...args: ExpectMultipleResponses<Params>) => Result : E[K];
};

export type ExpectMultipleResponses<T extends any[]> = {
  [K in keyof T]: T[K] extends (err: Error, ...args: infer Params) => infer Result
    ? Params extends [infer Arg]
      ? (err: Error, responses: Arg[]) => Result
      : Params extends []
        ? (err: Error) => Result
        : (err: Error, responses: Params) => Result
    : T[K] extends (...args: infer Params) => infer Result
      ? Params extends [infer Arg]
        ? (responses: Arg[]) => Result
        : (responses: Params) => Result
      : T[K];
};

/** The value an `emitWithAck` promise resolves to: the ack's first argument. */
export type AckValue<Ack> = Ack extends (...args: infer Params) => any ? FirstNonErrorTuple<Params> : never;
