import type { ConfigListGetParams } from '../../src/bitrix/imopenlines-types';
import { OPENLINES_METHODS } from '../../src/bitrix/openlines-methods';

describe('ConfigListGetParams', () => {
  it('types CHECK_PERMISSION as the permission action string Bitrix24 takes (#8)', () => {
    // With a Y/N type, 'view' fails the type check and ts-jest fails this file.
    const params: ConfigListGetParams = { OPTIONS: { QUEUE: 'Y', CHECK_PERMISSION: 'view' } };
    // The typed client's parameter schema agrees with the exported type.
    const method = OPENLINES_METHODS['imopenlines.config.list.get'];
    expect(method.params.parse(params)).toEqual(params);
  });
});
