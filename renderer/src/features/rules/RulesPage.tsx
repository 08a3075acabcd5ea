// 政策规则: every rule of the registry (shared/rules) with its clause quoted from the regulation, its
// source, level and the settings in force here with who set them (from the synced org documents), the
// term dates and the working-day calendar with this machine's emergency corrections.
import { CalendarOutlined, EditOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Empty, Input, Segmented, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { mayAct } from '../../../../shared/authority/table';
import { STATE_COUNCIL_YEARS, unknownYearWarning } from '../../../../shared/calendar/calendar';
import { fieldLabel } from '../../../../shared/domain/student';
import type { RuleId } from '../../../../shared/rules/ids';
import {
  REGULATIONS,
  RULE_TOPICS,
  RULES,
  type RuleDef,
  type RuleTopic,
  sourceHeading,
  sourceLabel,
  topicOf,
} from '../../../../shared/rules/registry';
import {
  type EffectiveSettings,
  RULE_SETTING_BY_KEY,
  type SettingSource,
  UNIT_LABELS,
} from '../../../../shared/rules/settings';
import { LEVEL_LABELS, type RuleLevel } from '../../../../shared/rules/types';
import { useAuthUser } from '../../app/session';
import { LocalCalendarEditor } from './LocalCalendarEditor';
import { RuleSettingsEditor } from './RuleSettingsEditor';
import { useRulesState } from './use-rules';
import './rules.css';

const LEVEL_COLORS: Record<RuleLevel, string> = {
  refuse: 'red',
  warn: 'orange',
  action: 'blue',
  info: 'default',
};

function who(source: SettingSource | null): string {
  if (!source) return '默认值';
  const at = source.at && dayjs(source.at).isValid() ? ` ${dayjs(source.at).format('YYYY-MM-DD')}` : '';
  return `${source.orgName}设置${at}`;
}

function settingValue(key: string, value: number | string): string {
  const d = RULE_SETTING_BY_KEY.get(key);
  if (!d) return String(value);
  if (d.unit === 'monthDay') {
    const [m, day] = String(value).split('-');
    return `每年 ${Number(m)} 月 ${Number(day)} 日`;
  }
  return `${value} ${UNIT_LABELS[d.unit]}`;
}

function RuleSettings({
  rule,
  effective,
  mayEdit,
}: {
  rule: RuleDef;
  effective: EffectiveSettings;
  mayEdit: boolean;
}) {
  const [editing, setEditing] = useState(false);
  if (rule.kind === 'product')
    return (
      <div className="xj-rule-side">
        <div className="xj-rule-side-title">落实方式</div>
        <div>{rule.enforcedBy}</div>
      </div>
    );
  if (rule.settings.length === 0)
    return (
      <div className="xj-rule-side">
        <div className="xj-rule-side-title">设置</div>
        <Typography.Text type="secondary">本条没有可调整的设置</Typography.Text>
      </div>
    );
  return (
    <div className="xj-rule-side">
      <div className="xj-rule-side-title">
        当前设置
        {mayEdit ? (
          <Button
            size="small"
            type="link"
            icon={<EditOutlined />}
            onClick={() => setEditing(true)}
            data-testid="rule-settings-edit"
          >
            修改
          </Button>
        ) : null}
      </div>
      {mayEdit ? (
        <RuleSettingsEditor
          rule={rule}
          effective={effective}
          open={editing}
          onClose={() => setEditing(false)}
        />
      ) : null}
      {rule.settings.map((k) => {
        const d = RULE_SETTING_BY_KEY.get(k);
        const e = effective.rules[k];
        return (
          <div key={k} className="xj-rule-setting" data-setting={k}>
            <span>{d?.label}：</span>
            <b>{settingValue(k, e.value)}</b>
            <span className="xj-muted">（{who(e.source)}）</span>
            {d?.note && !e.source ? <div className="xj-muted xj-rule-note">{d.note}</div> : null}
          </div>
        );
      })}
    </div>
  );
}

function RuleItem({
  rule,
  effective,
  active,
  mayEdit,
}: {
  rule: RuleDef;
  effective: EffectiveSettings;
  active: boolean;
  mayEdit: boolean;
}) {
  return (
    <div
      id={`rule-${rule.id}`}
      className={`xj-rule${active ? ' xj-rule-active' : ''}`}
      data-testid="rule-item"
      data-rule={rule.id}
    >
      <div className="xj-rule-id">
        <div className="xj-rule-code">{rule.id}</div>
        <Tag color={LEVEL_COLORS[rule.level]} className="xj-rule-level">
          {LEVEL_LABELS[rule.level]}
        </Tag>
      </div>
      <div className="xj-rule-main">
        <div className="xj-rule-title">{rule.title}</div>
        <blockquote className="xj-rule-clause">“{rule.clause}”</blockquote>
        {(rule.related ?? []).map((x) => (
          <blockquote key={x.clause} className="xj-rule-clause xj-rule-related">
            另见 {sourceLabel(x.source)}：“{x.clause}”
          </blockquote>
        ))}
        <div className="xj-rule-meta">
          <span>依据：{sourceHeading(rule.source)}</span>
        </div>
        <div className="xj-rule-meta">适用：{rule.applies}</div>
      </div>
      <RuleSettings rule={rule} effective={effective} mayEdit={mayEdit} />
    </div>
  );
}

export function RulesPage({ focus }: { focus?: string }) {
  const { effective, calendar, local } = useRulesState();
  const [topic, setTopic] = useState<RuleTopic | 'all'>('all');
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState(false);
  const { message } = AntApp.useApp();
  // the province sets the rules of the whole province (the authority table's action list)
  const mayEdit = mayAct(useAuthUser().role, 'settingsRules');

  // A link to one rule shows it whatever the filter, scrolled into view.
  useEffect(() => {
    if (!focus) return;
    setTopic('all');
    setQuery('');
    const t = setTimeout(
      () => document.getElementById(`rule-${focus}`)?.scrollIntoView({ block: 'center' }),
      0,
    );
    return () => clearTimeout(t);
  }, [focus]);

  const shown = useMemo(() => {
    const q = query.trim().toUpperCase();
    return RULES.filter(
      (r) =>
        (topic === 'all' || topicOf(r.id) === topic) &&
        (!q || r.id.includes(q) || r.title.includes(query.trim()) || r.clause.includes(query.trim())),
    );
  }, [topic, query]);

  const thisYear = new Date().getFullYear();
  const unknownYears = [thisYear, thisYear + 1].filter((y) => !calendar.knownYears.has(y));
  const provinceOverrides = effective.calendar.length;
  const keyFields = effective.keyFields;
  const term = effective.term;
  const counts = {
    check: RULES.filter((r) => r.kind === 'check').length,
    product: RULES.filter((r) => r.kind === 'product').length,
  };

  return (
    <div className="xj-rules" data-testid="rules-page">
      <Card size="small" className="xj-card" title="政策规则">
        <div className="xj-rules-summary">
          <div>
            <span className="xj-rules-label">规定依据</span>
            {Object.values(REGULATIONS).map((d) => (
              <div key={d.file}>{d.title}</div>
            ))}
            <div className="xj-muted">
              共 {RULES.length} 条：{counts.check} 条由系统按数据检查，{counts.product} 条由系统功能落实。
            </div>
          </div>
          <div>
            <span className="xj-rules-label">本单位适用</span>
            <div data-testid="rules-term">
              学期：
              {term.value
                ? `${term.value.name ? `${term.value.name} ` : ''}${term.value.start} 至 ${term.value.end}（${who(term.source)}）`
                : '尚未设置（由教育局设置学期日期）'}
            </div>
            <div>
              关键字段（★）：{keyFields.value.map(fieldLabel).join('、')}（{who(keyFields.source)}）
            </div>
            {effective.problems.map((p) => (
              <div key={p} className="xj-error-text">
                {p}
              </div>
            ))}
          </div>
          <div>
            <span className="xj-rules-label">工作日日历</span>
            <div>
              国务院放假安排 {STATE_COUNCIL_YEARS.first}—{STATE_COUNCIL_YEARS.last} 年；省级调整{' '}
              {provinceOverrides} 条； 本机临时调整 {local?.entries.length ?? 0} 条
              <Button
                size="small"
                type="link"
                icon={<CalendarOutlined />}
                onClick={() => setEditing(true)}
                data-testid="local-calendar-edit"
              >
                修改
              </Button>
            </div>
            {unknownYears.map((y) => (
              <Alert
                key={y}
                type="warning"
                showIcon
                className="xj-rules-year"
                title={unknownYearWarning(y)}
                data-testid="rules-unknown-year"
              />
            ))}
          </div>
        </div>
      </Card>
      <div className="xj-toolbar">
        <Segmented
          value={topic}
          onChange={(v) => setTopic(v as RuleTopic | 'all')}
          options={[
            { value: 'all', label: `全部 ${RULES.length}` },
            ...(Object.entries(RULE_TOPICS) as [RuleTopic, string][]).map(([value, label]) => ({
              value,
              label: `${label} ${RULES.filter((r) => topicOf(r.id) === value).length}`,
            })),
          ]}
        />
        <Space>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="规则编号、名称或原文"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            style={{ width: 240 }}
            data-testid="rules-search"
          />
        </Space>
      </div>
      <div className="xj-rules-list">
        {shown.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的规则" />
        ) : (
          shown.map((r) => (
            <RuleItem
              key={r.id}
              rule={r}
              effective={effective}
              active={r.id === (focus as RuleId)}
              mayEdit={mayEdit}
            />
          ))
        )}
      </div>
      <LocalCalendarEditor
        open={editing}
        onClose={(saved) => {
          setEditing(false);
          if (saved) message.success('本机临时调整已保存，工作日计算立即生效');
        }}
        entries={local?.entries ?? []}
        province={effective.calendar}
      />
    </div>
  );
}
