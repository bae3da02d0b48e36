import type { Bindings } from '../../contracts/env';
import type { FlightCoordinator } from './flight-coordinator';

/** The tenant's FlightCoordinator stub: cross-isolate single-flight, one Durable Object per tenant. */
export function flightsFor(env: Pick<Bindings, 'FLIGHTS'>, tenantId: string): DurableObjectStub<FlightCoordinator> {
  const namespace = env.FLIGHTS as DurableObjectNamespace<FlightCoordinator>;
  return namespace.get(namespace.idFromName(tenantId));
}
