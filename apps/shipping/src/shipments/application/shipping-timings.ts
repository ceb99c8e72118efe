/** Injection token for the simulated clock's ShippingTimings. */
export const SHIPPING_TIMINGS = Symbol('SHIPPING_TIMINGS');
