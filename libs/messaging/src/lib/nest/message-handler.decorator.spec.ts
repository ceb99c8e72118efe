import { ReleaseStockV1, ReserveStockV1, StockReservedV1 } from '@shop/contracts';
import { MessageHandler, messageHandlersOf } from './message-handler.decorator';

class Handlers {
  @MessageHandler(ReserveStockV1)
  reserve() {
    return Promise.resolve();
  }

  @MessageHandler(ReleaseStockV1, StockReservedV1)
  either() {
    return Promise.resolve();
  }

  undecorated() {
    return Promise.resolve();
  }
}

describe('@MessageHandler', () => {
  it('lists every message a class handles, one or several per method', () => {
    expect(messageHandlersOf(Handlers)).toEqual([ReserveStockV1, ReleaseStockV1, StockReservedV1]);
  });
});
