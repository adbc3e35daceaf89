import { parseCrmBindings, parseOpenLineFields } from '../../src/events/open-line-fields';

describe('parseOpenLineFields', () => {
  it('reads connector, line, external ids and session from an open-line chat', () => {
    expect(
      parseOpenLineFields({
        entityType: 'LINES',
        entityId: 'telegrambot|3|786792821|1775',
        entityData1: 'Y|LEAD|1209|N|N|343|1773682918|0|0|0',
        entityData2: 'LEAD|1209|COMPANY|0|CONTACT|0|DEAL|0',
      }),
    ).toEqual({
      isOpenLine: true,
      connector: 'telegrambot',
      lineId: 3,
      connectorChatId: '786792821',
      connectorUserId: '1775',
      sessionId: 343,
      crm: { lead: 1209 },
    });
  });

  it('recognises an open line by message or chat type too (v2 "lines")', () => {
    expect(parseOpenLineFields({ messageType: 'L' }).isOpenLine).toBe(true);
    expect(
      parseOpenLineFields({ chatType: 'lines', entityId: 'livechat|13|19165|515' }),
    ).toMatchObject({ lineId: 13, connector: 'livechat' });
    expect(
      parseOpenLineFields({ entityType: '', entityId: 'crm|1|2|3', chatType: 'chat' }),
    ).toEqual({ isOpenLine: false, crm: {} });
  });

  it('leaves out what is missing or not in the documented format', () => {
    expect(
      parseOpenLineFields({
        entityType: 'LINES',
        entityId: 'livechat|x',
        entityData1: 'N|NONE|0|N|N',
      }),
    ).toEqual({
      isOpenLine: true,
      connector: 'livechat',
      crm: {},
    });
    expect(
      parseOpenLineFields({ entityType: 'LINES', entityData1: 'N|NONE|0|N|N|0|1|0' }).sessionId,
    ).toBeUndefined();
  });
});

describe('parseCrmBindings', () => {
  it('keeps bound entities and drops zero ids and unknown types', () => {
    expect(parseCrmBindings('LEAD|0|COMPANY|0|CONTACT|3|DEAL|3')).toEqual({ contact: 3, deal: 3 });
    expect(parseCrmBindings('QUOTE|5|LEAD|7')).toEqual({ lead: 7 });
    expect(parseCrmBindings('')).toEqual({});
    expect(parseCrmBindings(undefined)).toEqual({});
    expect(parseCrmBindings('LEAD|abc|DEAL')).toEqual({});
  });
});
