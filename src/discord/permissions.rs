//! Works out what the bot may do in a channel, to warn at start-up when a
//! configured channel lacks a permission the bot needs.

use serenity::all::{PermissionOverwrite, PermissionOverwriteType, Permissions, RoleId, UserId};

/// What the bot needs where it answers.
pub fn needed_in_support_channel() -> Permissions {
    Permissions::VIEW_CHANNEL
        | Permissions::SEND_MESSAGES
        | Permissions::READ_MESSAGE_HISTORY
        | Permissions::CREATE_PUBLIC_THREADS
        | Permissions::SEND_MESSAGES_IN_THREADS
        | Permissions::MANAGE_THREADS
}

pub fn needed_in_forum() -> Permissions {
    Permissions::VIEW_CHANNEL
        | Permissions::READ_MESSAGE_HISTORY
        | Permissions::SEND_MESSAGES_IN_THREADS
        | Permissions::MANAGE_THREADS
}

pub fn needed_in_escalation_channel() -> Permissions {
    Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES | Permissions::READ_MESSAGE_HISTORY
}

/// The member's permissions in a channel, as Discord computes them: the
/// @everyone role and the member's roles, then the channel's overwrites for
/// @everyone, for the member's roles together, and for the member.
pub fn effective(
    everyone_role: RoleId,
    roles: &[(RoleId, Permissions)],
    member: UserId,
    member_roles: &[RoleId],
    overwrites: &[PermissionOverwrite],
) -> Permissions {
    let role_perms = |id: RoleId| {
        roles
            .iter()
            .find(|(r, _)| *r == id)
            .map(|(_, p)| *p)
            .unwrap_or_default()
    };
    let mut perms = role_perms(everyone_role);
    for role in member_roles {
        perms |= role_perms(*role);
    }
    if perms.contains(Permissions::ADMINISTRATOR) {
        return Permissions::all();
    }
    let apply = |perms: &mut Permissions, allow: Permissions, deny: Permissions| {
        *perms &= !deny;
        *perms |= allow;
    };
    for o in overwrites {
        if o.kind == PermissionOverwriteType::Role(everyone_role) {
            apply(&mut perms, o.allow, o.deny);
        }
    }
    let (mut allow, mut deny) = (Permissions::empty(), Permissions::empty());
    for o in overwrites {
        if let PermissionOverwriteType::Role(role) = o.kind
            && member_roles.contains(&role)
        {
            allow |= o.allow;
            deny |= o.deny;
        }
    }
    apply(&mut perms, allow, deny);
    for o in overwrites {
        if o.kind == PermissionOverwriteType::Member(member) {
            apply(&mut perms, o.allow, o.deny);
        }
    }
    perms
}

/// The names of the permissions in `needed` that `have` lacks.
pub fn missing(needed: Permissions, have: Permissions) -> Vec<String> {
    (needed - have)
        .get_permission_names()
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUILD: RoleId = RoleId::new(1);
    const STAFF: RoleId = RoleId::new(2);
    const BOT: UserId = UserId::new(9);

    fn overwrite(
        kind: PermissionOverwriteType,
        allow: Permissions,
        deny: Permissions,
    ) -> PermissionOverwrite {
        PermissionOverwrite { allow, deny, kind }
    }

    #[test]
    fn roles_then_overwrites_in_discords_order() {
        let roles = [
            (
                GUILD,
                Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES,
            ),
            (STAFF, Permissions::MANAGE_THREADS),
        ];
        let overwrites = [
            overwrite(
                PermissionOverwriteType::Role(GUILD),
                Permissions::empty(),
                Permissions::SEND_MESSAGES,
            ),
            overwrite(
                PermissionOverwriteType::Role(STAFF),
                Permissions::SEND_MESSAGES,
                Permissions::empty(),
            ),
            overwrite(
                PermissionOverwriteType::Member(BOT),
                Permissions::empty(),
                Permissions::MANAGE_THREADS,
            ),
        ];
        let perms = effective(GUILD, &roles, BOT, &[STAFF], &overwrites);
        assert!(
            perms.contains(Permissions::SEND_MESSAGES),
            "the role allow beats the @everyone deny"
        );
        assert!(
            !perms.contains(Permissions::MANAGE_THREADS),
            "the member deny comes last"
        );
        assert_eq!(
            missing(
                Permissions::SEND_MESSAGES | Permissions::MANAGE_THREADS,
                perms
            ),
            vec!["Manage Threads"]
        );
    }

    #[test]
    fn administrator_has_everything() {
        let roles = [
            (GUILD, Permissions::empty()),
            (STAFF, Permissions::ADMINISTRATOR),
        ];
        let deny_all = [overwrite(
            PermissionOverwriteType::Role(GUILD),
            Permissions::empty(),
            Permissions::all(),
        )];
        assert_eq!(
            effective(GUILD, &roles, BOT, &[STAFF], &deny_all),
            Permissions::all()
        );
    }
}
