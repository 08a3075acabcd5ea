// The province changes the settings of a rule (issue 11: "Province: … the settings of the rules"). The
// settings live on the province's org document and only the server writes them (PUT /api/settings/rules,
// server/settings/routes.ts, which records who changed what): this dialog checks the values with the same
// shared function the server uses, sends them, and the changed org document reaches every copy by sync.
// Online only — a setting of the whole province is not changed from one machine's offline copy.
import { Alert, App as AntApp, Button, Form, Input, InputNumber, Modal, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { RuleDef } from '../../../../shared/rules/registry';
import {
  type EffectiveSettings,
  RULE_SETTING_BY_KEY,
  ruleSettingProblem,
  UNIT_LABELS,
} from '../../../../shared/rules/settings';
import { syncService } from '../../sync/service';
import { useSyncStatus } from '../../sync/use-sync';

type Values = Record<string, number | string | null>;

export function RuleSettingsEditor({
  rule,
  effective,
  open,
  onClose,
}: {
  rule: RuleDef;
  effective: EffectiveSettings;
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { message } = AntApp.useApp();
  const status = useSyncStatus();
  const online = status.online && status.phase !== 'never';
  const keys = rule.kind === 'check' ? rule.settings : [];

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.setFieldsValue(Object.fromEntries(keys.map((k) => [k, effective.rules[k].value])));
  }, [open, form, keys, effective]);

  const save = async (values: Values, reset = false) => {
    const api = syncService.current?.api;
    if (!api) return setError('尚未连接省级平台，联网登录后才能修改全省的规则设置');
    // Only what changed is sent: a value left as it was keeps its source (default, or who set it).
    const sent: Values = {};
    for (const k of keys) {
      if (reset) {
        if (effective.rules[k].source) sent[k] = null;
        continue;
      }
      const v = values[k];
      if (v === null || v === undefined || v === '')
        return setError(`请填写${RULE_SETTING_BY_KEY.get(k)?.label ?? k}`);
      const problem = ruleSettingProblem(k, v);
      if (problem) return setError(problem.message);
      if (v !== effective.rules[k].value) sent[k] = v;
    }
    if (Object.keys(sent).length === 0) return onClose();
    setSaving(true);
    setError(null);
    try {
      await api.put('/api/settings/rules', { values: sent });
      message.success(reset ? '已恢复规定的默认值，同步后各单位生效' : '规则设置已保存，同步后各单位生效');
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={`修改规则设置：${rule.title}`}
      width={520}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button
            onClick={() => save({}, true)}
            disabled={!online || saving}
            data-testid="rule-settings-reset"
          >
            恢复默认值
          </Button>
          <Button onClick={onClose}>取消</Button>
          <Button
            type="primary"
            loading={saving}
            disabled={!online}
            onClick={() => form.submit()}
            data-testid="rule-settings-save"
          >
            保存
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {rule.id}：全省统一设置，保存在省级平台，各市、县区、学校同步后生效。
      </Typography.Paragraph>
      {!online ? (
        <Alert
          type="warning"
          showIcon
          title="当前未连接省级平台，联网后才能修改"
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Form form={form} layout="horizontal" labelCol={{ span: 11 }} onFinish={(v) => save(v)}>
        {keys.map((k) => {
          const d = RULE_SETTING_BY_KEY.get(k);
          if (!d) return null;
          const e = effective.rules[k];
          return (
            <Form.Item
              key={k}
              name={k}
              label={d.label}
              extra={`规定默认值：${d.default}${d.unit === 'monthDay' ? '' : ` ${UNIT_LABELS[d.unit]}`}${e.source ? '' : '（现为默认值）'}`}
            >
              {d.unit === 'monthDay' ? (
                <Input style={{ width: 120 }} placeholder="如 06-30" aria-label={d.label} />
              ) : (
                <InputNumber
                  min={d.min}
                  max={d.max}
                  precision={0}
                  style={{ width: 120 }}
                  suffix={UNIT_LABELS[d.unit]}
                  aria-label={d.label}
                />
              )}
            </Form.Item>
          );
        })}
      </Form>
      {error ? <Alert type="error" showIcon title={error} data-testid="rule-settings-error" /> : null}
    </Modal>
  );
}
