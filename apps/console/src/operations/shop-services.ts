import { Inject, Injectable } from '@nestjs/common';
import { SHOP_SERVICES, type ShopService } from '@shop/console-api';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';
import { fetchFailure } from '../fetch-failure';

/** Plain HTTP calls from the console to a service: a short timeout, so one hung service cannot hold a view. */
export const SERVICE_TIMEOUT_MS = 3000;

/** Where each of the shop's services answers (its REST API, /metrics, /health, /admin/faults). */
@Injectable()
export class ShopServices {
  readonly urls: Record<ShopService, string>;

  constructor(@Inject(CONSOLE_CONFIG) config: ConsoleConfig) {
    this.urls = {
      order: config.ORDER_API_URL,
      inventory: config.INVENTORY_URL,
      payment: config.PAYMENT_URL,
      shipping: config.SHIPPING_URL,
      notification: config.NOTIFICATION_URL,
    };
  }

  get names(): readonly ShopService[] {
    return SHOP_SERVICES;
  }

  /**
   * GET a path of a service: its status and body text, or the reason it did not answer. With the
   * signed-in admin's token when given (/health/ready shows its details to an admin only).
   */
  async get(service: ShopService, path: string, token?: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`${this.urls[service]}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
    });
    return { status: res.status, text: await res.text() };
  }

  /**
   * Sets a service's fault switch (PUT /admin/faults, libs/platform) with the signed-in admin's
   * token; the service answers 404 unless it runs with FAULT_ADMIN_ENABLED=true.
   */
  async setFaults(service: ShopService, token: string, settings: { delayMs?: number; failureRate?: number }): Promise<void> {
    const res = await fetch(`${this.urls[service]}/admin/faults`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(settings),
      signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
    });
    if (res.status === 404) throw new Error(`${service} has no fault switch at run time (start it with FAULT_ADMIN_ENABLED=true)`);
    if (!res.ok) throw new Error(`PUT ${service}/admin/faults answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }
}

/** Why a call to a service failed, in a few words: a timeout, or the socket's error (fetchFailure). */
export function failureReason(error: unknown): string {
  return (error as Error).name === 'TimeoutError' ? 'no answer in time' : fetchFailure(error);
}
