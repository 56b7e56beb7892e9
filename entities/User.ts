// A person who logs in to the portal or binds a WeChat contact; manages a set of sites.
import { Column, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintNumber } from './columns';
import { Site } from './Site';

export type Role = 'admin' | 'operator';

@Entity('user')
@Unique('uq_user_login', ['login'])
export class User {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 64 })
  login: string;

  @Column({ name: 'display_name', type: 'varchar', length: 128 })
  displayName: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  /** Alarm emails for the sites this user manages (when an email is set). */
  @Column({ name: 'notify_email', type: 'boolean', default: true })
  notifyEmail: boolean;

  /** Alarm pushes to this user's bound WeChat contact. */
  @Column({ name: 'notify_wechat', type: 'boolean', default: false })
  notifyWechat: boolean;

  /** The daily report by email. */
  @Column({ name: 'report_email', type: 'boolean', default: false })
  reportEmail: boolean;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @ManyToMany(() => Site)
  @JoinTable({
    name: 'user_site',
    joinColumn: { name: 'user_id', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'site_id', referencedColumnName: 'id' },
  })
  sites: Site[];
}
