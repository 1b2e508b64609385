/**
 * The local bus must route like EventBridge, so every case comes from AWS's published examples:
 * - [EP]  "Amazon EventBridge event patterns" (EC2 terminated event, Macie value matching, auto scaling event)
 * - [CF]  "Content filtering in Amazon EventBridge event patterns" (prefix, anything-but, numeric, IP, exists, complex)
 * - [OPS] "Comparison operators for use in event patterns in Amazon EventBridge" (the operator table)
 * - [ARR] "Arrays in Amazon EventBridge event patterns"; [NUL] "Matching null values and empty strings in
 *   Amazon EventBridge event patterns"; [WC] AWS Compute Blog "Filtering events in Amazon EventBridge with
 *   wildcard pattern matching"
 * - [RUL] README of aws/event-ruler, the matching library behind EventBridge: its sample event (the one with
 *   detail.c-count, d-count, x-limit, source-ip, state), suffix/wildcard/$or/array-consistency examples.
 */
import type { EventPattern } from '../../shared/platform/event-pattern-types.js';
import { matchesPattern, validatePattern } from '../../infra/local/eventbridge/pattern.js';

/** [RUL] sample event; [CF] uses the same detail fields. */
const ec2Event = {
  version: '0', id: 'ddddd4-aaaa-7777-4444-345dd43cc333', 'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2', account: '012345679012', time: '2017-10-02T16:24:49Z', region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', 'instance-id': 'i-000000aaaaaa00000', state: 'running' },
};
const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail: { ...ec2Event.detail, ...detail } });
/** [EP] the EC2 instance-termination event. */
const terminated = { ...ec2Event, time: '2017-12-22T18:43:48Z', region: 'us-west-1', detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' } };
/** [EP]/[NUL] the auto scaling event with an empty string and a null. */
const autoScaling = { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance Launch Successful', resources: [], detail: { eventVersion: '', responseElements: null } };
/** [EP] the (truncated) Macie alert. */
const macie = { source: 'aws.macie', 'detail-type': 'Macie Alert', detail: { 'risk-score': 80, tags: ['Custom_Alert', 'Insider'], trigger: { 'alert-type': 'basic', risk: 8 } } };
/** [RUL] array-consistent matching. */
const employees = { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] };
const numericPattern = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } };
const cloudwatchOr = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] };

type Case = [name: string, pattern: EventPattern, event: unknown, matches: boolean];
const cases: Case[] = [
  // Exact values and nesting [EP]
  ['EP: EC2 terminated pattern matches the terminated event', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, terminated, true],
  ['EP: EC2 terminated pattern does not match a running instance', { source: ['aws.ec2'], detail: { state: ['terminated'] } }, ec2Event, false],
  ['EP: values of one field are ORed', { source: ['aws.ec2', 'aws.fargate'] }, ec2Event, true],
  ['EP: no listed value equals the field', { source: ['aws.fargate'] }, ec2Event, false],
  ['EP: Macie risk-score 80 and nested trigger.risk 8', { source: ['aws.macie'], detail: { 'risk-score': [80], trigger: { risk: [8] } } }, macie, true],
  ['EP: Macie nested value differs', { detail: { 'risk-score': [80], trigger: { risk: [9] } } }, macie, false],
  ['EP: numbers are not strings', { detail: { 'c-count': ['5'] } }, ec2Event, false],
  ['EP: strings match exactly, no case folding', { detail: { state: ['RUNNING'] } }, ec2Event, false],
  ['EP: booleans are JSON values', { detail: { spot: [true] } }, withDetail({ spot: true }), true],
  ['EP: false is not true', { detail: { spot: [true] } }, withDetail({ spot: false }), false],
  ['EP: a field the event lacks never equals a value', { detail: { missing: ['x'] } }, ec2Event, false],
  ['EP: a nested pattern needs an object, not a string', { detail: { state: { name: ['running'] } } }, ec2Event, false],
  // Null and empty string [NUL]
  ['NUL: [null] matches a null field', { detail: { responseElements: [null] } }, autoScaling, true],
  ['NUL: [""] matches an empty string', { detail: { eventVersion: [''] } }, autoScaling, true],
  ['NUL: [""] does not match null', { detail: { responseElements: [''] } }, autoScaling, false],
  ['NUL: [null] does not match an empty string', { detail: { eventVersion: [null] } }, autoScaling, false],
  // Arrays [ARR] [RUL]
  ['ARR: intersection of pattern and event arrays', { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] },
    { resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] }, true],
  ['ARR: empty intersection', { resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] }, ec2Event, false],
  ['ARR: Macie tags array contains Insider', { detail: { tags: ['Insider'] } }, macie, true],
  ['RUL: objects inside arrays are matched per element', { employees: { firstName: ['Anna'] } }, employees, true],
  ['RUL: fields of different elements are never combined', { employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees, false],
  ['RUL: fields of one element combine', { employees: { firstName: ['Anna'], lastName: ['Smith'] } }, employees, true],
  ['RUL: multi-level arrays are flattened', { employees: { firstName: ['Peter'] } }, { employees: [[employees.employees[0]], [employees.employees[2]]] }, true],
  // Prefix [CF] [OPS]
  ['CF: time prefix 2017-10-02', { time: [{ prefix: '2017-10-02' }] }, ec2Event, true],
  ['CF: time prefix of another day', { time: [{ prefix: '2017-10-03' }] }, ec2Event, false],
  ['OPS: Region prefix us-', { region: [{ prefix: 'us-' }] }, ec2Event, true],
  ['CF: auto scaling in European regions', { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] }, { ...autoScaling, region: 'us-east-1' }, false],
  ['CF: prefix only applies to strings', { detail: { 'c-count': [{ prefix: '5' }] } }, ec2Event, false],
  ['OPS: prefix ignoring case (EventB)', { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, withDetail({ service: 'EVENTBRIDGE' }), true],
  ['OPS: prefix ignoring case, other service', { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, withDetail({ service: 'lambda' }), false],
  // Suffix [OPS] [RUL]
  ['OPS: FileName suffix .png', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true],
  ['OPS: suffix is case-sensitive', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }, false],
  ['OPS: suffix ignoring case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, withDetail({ FileName: 'image.PNG' }), true],
  ['OPS: service ends with tbridge, any casing', { service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] }, { service: 'EventBridge' }, true],
  ['RUL: source suffix ec2', { source: [{ suffix: 'ec2' }] }, ec2Event, true],
  ['RUL: source suffix s3', { source: [{ suffix: 's3' }] }, ec2Event, false],
  // Equals-ignore-case [OPS]
  ['OPS: Name equals-ignore-case alice', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' }, true],
  ['OPS: equals-ignore-case is not a prefix', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alicia' }, false],
  // Anything-but [CF] [OPS]
  ['CF: state anything-but initializing', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2Event, true],
  ['CF: state anything-but initializing, state is initializing', { detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({ state: 'initializing' }), false],
  ['CF: x-limit anything-but 123', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2Event, true],
  ['CF: x-limit anything-but 123, x-limit is 123', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, withDetail({ 'x-limit': 123 }), false],
  ['CF: anything-but a list of strings', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, ec2Event, true],
  ['CF: anything-but a list of strings, listed', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, withDetail({ state: 'overloaded' }), false],
  ['CF: anything-but a list of numbers', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ec2Event, true],
  ['CF: anything-but a list of numbers, listed', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, withDetail({ 'x-limit': 200 }), false],
  ['CF: anything-but prefix init', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ec2Event, true],
  ['CF: anything-but prefix init, initializing', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, withDetail({ state: 'initializing' }), false],
  ['OPS: Region not in the US', { region: [{ 'anything-but': { prefix: 'us-' } }] }, { region: 'eu-central-1' }, true],
  ['OPS: Region not in the US, us-east-1', { region: [{ 'anything-but': { prefix: 'us-' } }] }, ec2Event, false],
  ['OPS: FileName not ending .png', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.jpg' }, true],
  ['OPS: FileName not ending .png, a.png', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.png' }, false],
  ['OPS: anything-but ignoring case', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'running' }, true],
  ['OPS: anything-but ignoring case, INITIALIZING', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'INITIALIZING' }, false],
  ['OPS: FilePath without /lib/', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/bin/node' }, true],
  ['OPS: FilePath without /lib/, /usr/lib/node', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/lib/node' }, false],
  ['OPS: Weather anything-but Raining needs a Weather', { Weather: [{ 'anything-but': 'Raining' }] }, { City: 'Seattle' }, false],
  ['ARR: anything-but matches when any element differs', { state: [{ 'anything-but': ['stopped'] }] }, { state: ['stopped', 'running'] }, true],
  // Numeric [CF] [OPS]
  ['CF: numeric ranges on c-count, d-count, x-limit', numericPattern, ec2Event, true],
  ['CF: c-count 0 is not > 0', numericPattern, withDetail({ 'c-count': 0 }), false],
  ['CF: c-count 6 is not <= 5', numericPattern, withDetail({ 'c-count': 6 }), false],
  ['CF: d-count 10 is not < 10', numericPattern, withDetail({ 'd-count': 10 }), false],
  ['CF: x-limit 301.81 is not = 3.018e2', numericPattern, withDetail({ 'x-limit': 301.81 }), false],
  ['OPS: Price more than 10 and at most 20', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 20 }, true],
  ['OPS: Price 10 is not more than 10', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 10 }, false],
  ['CF: numeric only matches JSON numbers', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: '15' }, false],
  ['OPS: Price is 100', { Price: [100] }, { Price: 100 }, true],
  ['OPS: >= includes the bound', { Price: [{ numeric: ['>=', 10] }] }, { Price: 10 }, true],
  // IP address [CF] [RUL]
  ['CF: source-ip in 10.0.0.0/24', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, ec2Event, true],
  ['CF: source-ip outside 10.0.0.0/24', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, withDetail({ 'source-ip': '10.0.1.33' }), false],
  ['CF: sourceIPAddress 10.0.0.255 in /24', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, { detail: { sourceIPAddress: '10.0.0.255' } }, true],
  ['CF: cidr needs an IP address', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, withDetail({ 'source-ip': 'localhost' }), false],
  ['CF: IPv6 inside 2001:db8::/32', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8::1' }, true],
  ['CF: IPv6 outside 2001:db8::/32', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' }, false],
  // Exists [CF] [OPS]
  ['CF: detail.state exists', { detail: { state: [{ exists: true }] } }, ec2Event, true],
  ['CF: detail.state exists, event without state', { detail: { state: [{ exists: true }] } }, { detail: { 'c-count': { c1: 100 } } }, false],
  ['CF: no detail.c-count, but there is one', { detail: { 'c-count': [{ exists: false }] } }, ec2Event, false],
  ['CF: no detail.c-count', { detail: { 'c-count': [{ exists: false }] } }, { detail: { state: ['initializing', 'running'] } }, true],
  ['CF: exists only sees leaves, an object c-count does not exist', { detail: { 'c-count': [{ exists: false }] } }, { detail: { 'c-count': { c1: 100 } } }, true],
  ['CF: exists true ignores an object', { detail: { 'c-count': [{ exists: true }] } }, { detail: { 'c-count': { c1: 100 } } }, false],
  ['OPS: ProductName does not exist, no parent either', { detail: { ProductName: [{ exists: false }] } }, { source: 'shop' }, true],
  ['OPS: a null ProductName exists', { ProductName: [{ exists: true }] }, { ProductName: null }, true],
  // Wildcard [OPS] [RUL] [WC]
  ['OPS: png file within folder dir', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/image.png' }, true],
  ['OPS: * spans folders', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/sub/image.png' }, true],
  ['OPS: not a png', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/image.jpg' }, false],
  ['OPS: not within dir', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'other/image.png' }, false],
  ['RUL: Simple*Service, * may be empty', { source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleService' }, true],
  ['RUL: Simple*Service needs the ending', { source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleQueue' }, false],
  ['RUL: an escaped * is literal', { v: [{ wildcard: 'a\\*b' }] }, { v: 'a*b' }, true],
  ['RUL: an escaped * is not a wildcard', { v: [{ wildcard: 'a\\*b' }] }, { v: 'acb' }, false],
  ['WC: *Title* matches Title in the middle', { v: [{ wildcard: '*Title*' }] }, { v: 'A Title here' }, true],
  // $or [OPS] [RUL]
  ['OPS: PaymentType Credit or Debit', { PaymentType: ['Credit', 'Debit'] }, { PaymentType: 'Debit' }, true],
  ['OPS: Location New York or Day Monday (Day)', { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] }, { Location: 'Boston', Day: 'Monday' }, true],
  ['OPS: Location New York or Day Monday (Location)', { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] }, { Location: 'New York', Day: 'Friday' }, true],
  ['OPS: Location New York or Day Monday (neither)', { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] }, { Location: 'Boston', Day: 'Friday' }, false],
  ['RUL: source and (metricName or namespace)', cloudwatchOr, { source: 'aws.cloudwatch', namespace: 'AWS/ES' }, true],
  ['RUL: source and (metricName or namespace), wrong source', cloudwatchOr, { source: 'aws.ec2', metricName: 'CPUUtilization' }, false],
  ['RUL: $or inside detail over numeric ranges', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } },
    withDetail({ 'c-count': 10, 'd-count': 20 }), false],
  ['RUL: nested $or inside an $or branch', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }] },
    { source: 'aws.cloudwatch', namespace: 'AWS/EC2', spaceId: 1000 }, true],
  // Complex examples [CF] [RUL]
  ['CF: complex pattern combining prefix, anything-but and numeric', { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ec2Event, true],
  ['RUL: complex pattern with cidr 10.0.0.0/8, state initializing', { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }], 'source-ip': [{ cidr: '10.0.0.0/8' }] } }, withDetail({ state: 'initializing' }), false],
];

describe('matchesPattern: EventBridge documentation examples', () => {
  test.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  test.each(cases)('the documented pattern is accepted by validatePattern: %s', (_name, pattern) => {
    expect(() => validatePattern(pattern)).not.toThrow();
  });
});

const malformed: Array<[why: string, pattern: unknown, message: RegExp]> = [
  ['not an object', ['aws.ec2'], /must be a JSON object/],
  ['an empty pattern', {}, /Empty objects are not allowed/],
  ['an empty nested object', { detail: {} }, /Empty objects are not allowed \(at detail\)/],
  ['an empty value list', { source: [] }, /Empty arrays are not allowed \(at source\)/],
  ['a bare value instead of a list', { source: 'aws.ec2' }, /must be given in an array/],
  ['a nested list', { source: [['aws.ec2']] }, /source\[0\]/],
  ['an unknown matcher (contains is not EventBridge)', { source: [{ contains: 'ec2' }] }, /contains: Unrecognized match type/],
  ['two keys in one matcher', { source: [{ prefix: 'a', suffix: 'b' }] }, /exactly one key/],
  ['a numeric prefix', { source: [{ prefix: 5 }] }, /prefix: must be a string/],
  ['a non-string equals-ignore-case', { source: [{ 'equals-ignore-case': 5 }] }, /equals-ignore-case: must be a string/],
  ['exists given a string', { detail: { 'c-count': [{ exists: 'true' }] } }, /exists: must be true or false \(at detail.c-count\[0\]\)/],
  ['anything-but of a boolean', { a: [{ 'anything-but': true }] }, /anything-but/],
  ['anything-but of mixed strings and numbers', { a: [{ 'anything-but': ['a', 1] }] }, /only strings or only numbers/],
  ['anything-but of an empty list', { a: [{ 'anything-but': [] }] }, /only strings or only numbers/],
  ['anything-but of a prefix list', { a: [{ 'anything-but': { prefix: ['a', 'b'] } }] }, /not a supported anything-but form/],
  ['anything-but of an unknown form', { a: [{ 'anything-but': { contains: 'x' } }] }, /not a supported anything-but form/],
  ['numeric with a string bound', { a: [{ numeric: ['>', '0'] }] }, /not a number/],
  ['numeric with an unknown operator', { a: [{ numeric: ['!=', 5] }] }, /unknown operator/],
  ['numeric with two lower bounds', { a: [{ numeric: ['>', 1, '>=', 2] }] }, /at most one lower/],
  ['numeric with crossed bounds', { a: [{ numeric: ['>', 20, '<', 10] }] }, /lower bound must be below/],
  ['numeric "=" combined', { a: [{ numeric: ['=', 1, '<', 5] }] }, /cannot be combined/],
  ['numeric beyond 5.0e9', { a: [{ numeric: ['>', 6e9] }] }, /within ±5.0e9/],
  ['numeric of odd length', { a: [{ numeric: ['>', 1, '<'] }] }, /must be \[operator, number\]/],
  ['cidr prefix too long', { ip: [{ cidr: '10.0.0.0/33' }] }, /not an IPv4\/IPv6 CIDR block/],
  ['cidr of a host name', { ip: [{ cidr: 'example.com/8' }] }, /not an IPv4\/IPv6 CIDR block/],
  ['consecutive wildcards', { f: [{ wildcard: 'a**b' }] }, /consecutive wildcard characters/],
  ['a backslash escaping a letter', { f: [{ wildcard: 'a\\b' }] }, /may only escape/],
  ['$or with one branch', { $or: [{ a: ['x'] }] }, /at least two patterns/],
  ['$or of an object', { $or: { a: ['x'] } }, /at least two patterns/],
  ['$or with an empty branch', { $or: [{}, { a: ['x'] }] }, /Empty objects are not allowed \(at \$or\[0\]\)/],
];

describe('validatePattern rejects malformed patterns with a reason and a location', () => {
  test.each(malformed)('%s', (_why, pattern, message) => {
    expect(() => validatePattern(pattern)).toThrow(message);
  });
});
