// The read models shared by the bot and the web portal: plain async functions over a DataSource.
export * from './sites';
export * from './status';
export * from './business';
export * from './alarms';
export * from './servers';
export * from './alarm-history';
export * from './site-figures';
export { placeholders, num, latest, likeEscape } from './sql';
